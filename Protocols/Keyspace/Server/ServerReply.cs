namespace ReactiveKv.Keyspace;

/// <summary>
/// One reply frame of §5 before encoding: <see cref="Kind"/> is the letter (<c>o f n i j .</c>); an <c>o</c> carries
/// <see cref="Value"/> when the command returns one (null: the bare <c>o:&lt;id&gt;</c>), <c>i</c> and <c>j</c> carry the key.
/// </summary>
internal readonly record struct ServerReply(byte Kind, ulong Id, byte[]? Key = null, byte[]? Value = null)
{
    public static ServerReply Ok(ulong id, byte[]? value = null) => new((byte)'o', id, null, value);

    public static ServerReply Failed(ulong id) => new((byte)'f', id);

    public static ServerReply NotMaster(ulong id) => new((byte)'n', id);
}
