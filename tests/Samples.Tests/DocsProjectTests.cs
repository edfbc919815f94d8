namespace RecFramework.Samples.Tests;

/// <summary>The doc-block convention itself, on small pages (no packages needed).</summary>
public sealed class DocsProjectTests
{
    [Fact]
    public void IndentedBlocksInListItemsAreDedentedAndKeepTheirPageLine()
    {
        var blocks = DocBlock.Parse("page.md", "# Title\n\n- item:\n\n  ```csharp\n  using A;\n\n  x.Y();\n  ```\n");
        var block = Assert.Single(blocks);
        Assert.Equal("csharp", block.Language);
        Assert.Equal(6, block.FirstLine);
        Assert.Equal("using A;\n\nx.Y();\n", block.Code);
    }

    [Fact]
    public void IgnoredBlocksAreCountedButNotCompiled()
    {
        var project = new DocsProject();
        project.Add(DocBlock.Parse("page.md", "```csharp ignore\nnot C#\n```\n```bash\nls\n```\n"));
        Assert.Single(project.Ignored);
        Assert.Empty(project.Compiled);
        Assert.Empty(project.Files);
    }

    [Fact]
    public void ProgramsTypesAndSnippetsGetTheirOwnFiles()
    {
        var project = new DocsProject();
        project.Add(DocBlock.Parse("docs/page.md", """
            ```csharp
            var builder = WebApplication.CreateBuilder(args);
            ```

            ```csharp
            using System.Text;

            public sealed class MyChannel { }
            ```

            ```csharp
            using RecFramework.DependencyInjection; // already there

            builder.Services.AddRecFramework(builder.Configuration);
            ```
            """));
        Assert.Equal(3, project.Compiled.Count);
        Assert.StartsWith("#line 2 \"docs/page.md\"\nvar builder", project.Files["Program.cs"], StringComparison.Ordinal);
        Assert.Contains("public sealed class MyChannel", project.Files["page_L6.cs"], StringComparison.Ordinal);
        var snippet = project.Files["page_L12.cs"];
        Assert.StartsWith("#line 12 \"docs/page.md\"\nusing RecFramework.DependencyInjection; // already there\n", snippet, StringComparison.Ordinal);
        Assert.Contains("internal static void Run(Microsoft.AspNetCore.Builder.WebApplicationBuilder builder)\n    {\n#line 14 \"docs/page.md\"\nbuilder.Services", snippet, StringComparison.Ordinal);
    }

    [Fact]
    public void ASecondWholeProgramIsAnError()
    {
        var project = new DocsProject();
        var page = "```csharp\nvar b = WebApplication.CreateBuilder(args);\n```\n";
        project.Add(DocBlock.Parse("a.md", page));
        var error = Assert.Throws<InvalidOperationException>(() => project.Add(DocBlock.Parse("b.md", page)));
        Assert.Contains("b.md:2", error.Message, StringComparison.Ordinal);
    }
}
