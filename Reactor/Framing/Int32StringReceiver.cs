namespace ReactiveKv;

/// <summary>Messages prefixed by a 32-bit big-endian length (Twisted's <c>Int32StringReceiver</c>).</summary>
public abstract class Int32StringReceiver : IntNStringReceiver
{
    /// <summary>Creates the receiver.</summary>
    protected Int32StringReceiver()
        : base(4)
    {
    }
}
