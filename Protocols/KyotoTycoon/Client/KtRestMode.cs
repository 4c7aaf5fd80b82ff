namespace ReactiveKv.KyotoTycoon;

/// <summary>The <c>X-Kt-Mode</c> of a REST PUT.</summary>
public enum KtRestMode
{
    /// <summary>Store, replacing any record.</summary>
    Set,

    /// <summary>Store only if the key is new.</summary>
    Add,

    /// <summary>Store only if the key exists.</summary>
    Replace,
}
