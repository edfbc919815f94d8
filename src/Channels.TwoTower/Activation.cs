namespace RecFramework.Channels.TwoTower;

/// <summary>Hidden-layer activation of the tower MLPs.</summary>
public enum Activation
{
    /// <summary>max(0, x).</summary>
    Relu,

    /// <summary>Gaussian error linear unit.</summary>
    Gelu,

    /// <summary>Hyperbolic tangent.</summary>
    Tanh,
}
