using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace RecFramework.Channels.TwoTower.Model;

/// <summary>
/// The user and item towers (late fusion: score = cos(user, item) / temperature). With
/// <see cref="TwoTowerOptions.HistoryLength"/> &gt; 0 the user tower also pools an embedding of the user's recent
/// items (a table over the item id slots), as in YouTube's candidate generator.
/// </summary>
internal sealed class TwoTowerModel : Module
{
#pragma warning disable IDE1006 // field names are the state-dict keys
    private readonly Tower user;
    private readonly Tower item;
#pragma warning restore IDE1006

    public TwoTowerModel(TowerShape userShape, TowerShape itemShape, TwoTowerOptions options)
        : base(nameof(TwoTowerModel))
    {
        user = UserTowerFor(userShape, itemShape, options);
        item = new Tower("item", itemShape, options);
        RegisterComponents();
    }

    /// <summary>A user tower shaped as this model's (its history table spans the item id slots), without the item tower.</summary>
    public static Tower UserTowerFor(TowerShape userShape, TowerShape itemShape, TwoTowerOptions options)
        => new("user", userShape with { HistorySlots = options.HistoryLength > 0 ? itemShape.IdSlots : 0 }, options);

    /// <summary>The user tower.</summary>
    public Tower User => user;

    /// <summary>The item tower.</summary>
    public Tower Item => item;
}
