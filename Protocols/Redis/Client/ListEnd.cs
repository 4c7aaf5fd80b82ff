namespace ReactiveKv.Redis;

/// <summary>An end of a list, for LMOVE/BLMOVE.</summary>
public enum ListEnd
{
    /// <summary>LEFT (head).</summary>
    Left,

    /// <summary>RIGHT (tail).</summary>
    Right,
}
