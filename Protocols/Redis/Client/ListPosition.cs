namespace ReactiveKv.Redis;

/// <summary>Where LINSERT puts the value relative to the pivot.</summary>
public enum ListPosition
{
    /// <summary>BEFORE the pivot.</summary>
    Before,

    /// <summary>AFTER the pivot.</summary>
    After,
}
