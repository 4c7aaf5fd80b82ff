namespace ReactiveKv;

/// <summary>Messages prefixed by a 8-bit big-endian length (Twisted's <c>Int8StringReceiver</c>).</summary>
public abstract class Int8StringReceiver : IntNStringReceiver
{
    /// <summary>Creates the receiver.</summary>
    protected Int8StringReceiver()
        : base(1)
    {
    }
}
