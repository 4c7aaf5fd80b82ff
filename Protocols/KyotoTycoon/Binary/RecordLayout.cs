namespace ReactiveKv.KyotoTycoon;

/// <summary>Which fields each record of a binary command or reply carries (spec §5).</summary>
internal enum RecordLayout
{
    /// <summary>remove_bulk and get_bulk requests: u16 db, u32 ksiz, key.</summary>
    DbKey,

    /// <summary>set_bulk requests and get_bulk replies: u16 db, u32 ksiz, u32 vsiz, i64 xt, key, value.</summary>
    DbKeyValueXt,

    /// <summary>play_script requests and replies: u32 ksiz, u32 vsiz, key, value.</summary>
    KeyValue,
}
