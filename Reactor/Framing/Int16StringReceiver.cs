namespace ReactiveKv;

/// <summary>Messages prefixed by a 16-bit big-endian length (Twisted's <c>Int16StringReceiver</c>).</summary>
public abstract class Int16StringReceiver : IntNStringReceiver
{
    /// <summary>Creates the receiver.</summary>
    protected Int16StringReceiver()
        : base(2)
    {
    }
}
