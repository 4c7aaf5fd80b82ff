namespace ReactiveKv.Redis;

/// <summary>When SET (and ZADD) may write.</summary>
public enum SetCondition
{
    /// <summary>Always.</summary>
    Always,

    /// <summary>Only if the key (member) does not exist: NX.</summary>
    NotExists,

    /// <summary>Only if the key (member) exists: XX.</summary>
    Exists,
}
