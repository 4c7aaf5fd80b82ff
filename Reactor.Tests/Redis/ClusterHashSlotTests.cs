using System.Text;
using ReactiveKv.Redis;

namespace ReactiveKv.Tests.Redis;

[Trait("Category", "Unit")]
public class ClusterHashSlotTests
{
    [Fact]
    public void Crc16IsXmodem()
    {
        // The check value of CRC16-CCITT/XMODEM, also the one in the comment of Redis's crc16.c.
        Assert.Equal(0x31C3, HashSlot.Crc16("123456789"u8));
    }

    [Theory]
    [InlineData("foo", 12182)]
    [InlineData("bar", 5061)]
    [InlineData("", 0)]
    [InlineData("{user1000}.following", 3443)]
    public void KnownSlots(string key, int slot)
    {
        Assert.Equal(slot, HashSlot.Of(Encoding.UTF8.GetBytes(key)));
        Assert.Equal(slot, HashSlot.Of((RedisValue)key));
    }

    [Fact]
    public void HashTags()
    {
        Assert.Equal(HashSlot.Of("{user1000}.following"), HashSlot.Of("{user1000}.followers"));
        Assert.Equal(HashSlot.Of("user1000"), HashSlot.Of("{user1000}.following"));
        // An empty tag does not count: the whole key is hashed.
        Assert.Equal(HashSlot.Crc16("foo{}{bar}"u8) % HashSlot.Count, HashSlot.Of("foo{}{bar}"));
        Assert.NotEqual(HashSlot.Of("bar"), HashSlot.Of("foo{}{bar}"));
        // The tag ends at the first } after the first {.
        Assert.Equal(HashSlot.Of("{bar"), HashSlot.Of("foo{{bar}}zap"));
        Assert.Equal(HashSlot.Of("bar"), HashSlot.Of("foo{bar}{zap}"));
        // No closing brace: the whole key.
        Assert.Equal(HashSlot.Crc16("foo{bar"u8) % HashSlot.Count, HashSlot.Of("foo{bar"));
    }

    [Fact]
    public void EveryRedisValueKindHashesItsWireBytes()
    {
        Assert.Equal(HashSlot.Of("123"), HashSlot.Of(123));
        Assert.Equal(HashSlot.Of("-9000000000"), HashSlot.Of(-9_000_000_000L));
        Assert.Equal(HashSlot.Of("1.5"), HashSlot.Of(1.5));
        Assert.Equal(HashSlot.Of("foo"), HashSlot.Of((ReadOnlyMemory<byte>)"xfoox"u8.ToArray().AsMemory(1, 3)));
        Assert.Equal(HashSlot.Of("foo"), HashSlot.Of("foo"u8.ToArray()));
        var unicode = "clé-\u00e9\u4e2d\U0001F600";
        Assert.Equal(HashSlot.Of(Encoding.UTF8.GetBytes(unicode)), HashSlot.Of((RedisValue)unicode));
        // Past the stack buffer: the pooled path.
        var longKey = new string('k', 1000) + "{tag}" + new string('\u4e2d', 200);
        Assert.Equal(HashSlot.Of("tag"), HashSlot.Of((RedisValue)longKey));
        var longPlain = new string('\u00e9', 300);
        Assert.Equal(HashSlot.Of(Encoding.UTF8.GetBytes(longPlain)), HashSlot.Of((RedisValue)longPlain));
    }

    [Fact]
    public void TextKeysDoNotAllocate()
    {
        RedisValue key = "user:12345:profile";
        HashSlot.Of(key);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var sum = 0;
        for (var i = 0; i < 1000; i++)
        {
            sum += HashSlot.Of(key);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1000 * HashSlot.Of(key), sum);
    }
}
