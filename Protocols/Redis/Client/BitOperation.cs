namespace ReactiveKv.Redis;

/// <summary>BITOP operations.</summary>
public enum BitOperation
{
    /// <summary>AND.</summary>
    And,

    /// <summary>OR.</summary>
    Or,

    /// <summary>XOR.</summary>
    Xor,

    /// <summary>NOT (one source key).</summary>
    Not,
}
