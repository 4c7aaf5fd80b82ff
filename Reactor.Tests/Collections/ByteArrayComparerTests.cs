namespace ReactiveKv.Tests.Collections;

public class ByteArrayComparerTests
{
    private static readonly ByteArrayComparer Comparer = ByteArrayComparer.Instance;

    [Fact]
    [Trait("Category", "Unit")]
    public void Order_IsUnsignedByteByByte_WithAPrefixFirst()
    {
        byte[][] keys = [[0xff], [0x01, 0x00], [], [0x01], [0x80], [0x01, 0xff], [0x7f]];

        var sorted = keys.Order(Comparer).ToArray();

        // 0x80 and 0xff sort after 0x7f: the bytes are unsigned, not sbyte as a naive comparison would take them.
        Assert.Equal<byte[]>([[], [0x01], [0x01, 0x00], [0x01, 0xff], [0x7f], [0x80], [0xff]], sorted);
    }

    [Theory]
    [Trait("Category", "Unit")]
    [InlineData(new byte[] { 1, 2 }, new byte[] { 1, 3 }, -1)]
    [InlineData(new byte[] { 9 }, new byte[] { 1, 3 }, 1)]
    [InlineData(new byte[] { 1, 3 }, new byte[] { 1, 3 }, 0)]
    [InlineData(new byte[] { }, new byte[] { 0 }, -1)]
    public void Compare_AnswersTheSign(byte[] x, byte[] y, int expected)
    {
        Assert.Equal(expected, Comparer.Compare(x, y));
        Assert.Equal(-expected, Comparer.Compare(y, x));
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void Null_SortsFirst_AndEqualsOnlyNull()
    {
        Assert.Equal(0, Comparer.Compare(null, null));
        Assert.True(Comparer.Compare(null, []) < 0);
        Assert.True(Comparer.Compare([], null) > 0);
        Assert.True(Comparer.Equals(null, null));
        Assert.False(Comparer.Equals(null, []));
        Assert.False(Comparer.Equals([], null));
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void Equality_IsByContent_SoDistinctArraysFindOneAnother()
    {
        var map = new Dictionary<byte[], string>(Comparer) { [[1, 2, 3]] = "a" };

        Assert.True(map.TryGetValue([1, 2, 3], out var found));
        Assert.Equal("a", found);
        Assert.False(map.ContainsKey([1, 2]));
        Assert.True(Comparer.Equals([], []));
        Assert.Equal(Comparer.GetHashCode([5, 6]), Comparer.GetHashCode([5, 6]));
        Assert.Throws<ArgumentNullException>(() => Comparer.GetHashCode(null!));
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void SortedCollections_KeepByteOrder()
    {
        var set = new SortedSet<byte[]>(Comparer) { new byte[] { 0xff }, new byte[] { 0x00 }, new byte[] { 0x00 } };

        Assert.Equal(2, set.Count);
        Assert.Equal<byte[]>([[0x00], [0xff]], set.ToArray());
    }
}
