using System.Buffers;

namespace ReactiveKv;

/// <summary>
/// The connection half of a backend client: encodes requests onto the transport and matches replies to them (in
/// order, or by id). Everything else (connecting, the backlog, deadlines, the in-flight window, what happens to
/// requests when the connection goes away) belongs to the <see cref="ClientConnectionService{TProtocol, TRequest}"/>
/// that owns it. Loop thread only.
/// </summary>
/// <typeparam name="TRequest">The backend's request type.</typeparam>
public abstract class ClientProtocol<TRequest> : Protocol, IPushProducer
    where TRequest : ClientRequest
{
    private Exception? _failure;

    /// <summary>Written requests still waiting for their replies (settled ones included: their replies are still due).</summary>
    public abstract int InFlight { get; }

    /// <summary>False from the moment the connection starts closing: new requests must wait for the next one.</summary>
    public bool Usable => Connected && !Transport.Disconnecting && _failure is null;

    internal IClientProtocolOwner<TRequest>? Owner { get; set; }

    private bool _transportFull;
    private bool _holding;

    /// <summary>
    /// True while the transport holds more unsent bytes than its high watermark, or the protocol holds requests back
    /// (<see cref="HoldRequests"/>): the service sends nothing more, requests wait in its backlog.
    /// </summary>
    public bool WritePaused => _transportFull || _holding;

    /// <summary>The backend's own start-up exchange on a new connection (authentication, protocol choice).</summary>
    /// <remarks>Requests sent here with <see cref="SendDuringHandshake"/> bypass the backlog and have the connect timeout as deadline.</remarks>
    protected internal virtual Task HandshakeAsync() => Task.CompletedTask;

    /// <summary>Encodes <paramref name="request"/> onto the transport and remembers it until its reply comes.</summary>
    protected internal abstract void Send(TRequest request);

    /// <summary>Hands over every written request whose reply has not been read, and forgets them (the connection is gone).</summary>
    protected internal abstract IEnumerable<TRequest> TakeInFlight();

    /// <summary>
    /// A written request settled without its reply (its deadline passed). Protocols that match replies by id drop it
    /// here, so it stops counting against the in-flight window and its late reply is ignored; protocols that match in
    /// order keep it (the default), so the reply stream stays in step.
    /// </summary>
    protected internal virtual void Forget(TRequest request)
    {
    }

    /// <summary>Sends a request of the handshake before the connection is ready for ordinary requests.</summary>
    protected void SendDuringHandshake(TRequest request) =>
        (Owner ?? throw new InvalidOperationException("The protocol is not owned by a connection service.")).SendNow(this, request);

    /// <summary>Call after each reply has been delivered, so the service can retire deadlines and send what waits.</summary>
    protected void RequestAnswered() => Owner?.Answered(this);

    /// <summary>
    /// Hands every complete frame in <paramref name="data"/> to <paramref name="onFrame"/> and returns how far it
    /// consumed. A frame the decoder rejects, or a <see cref="ProtocolErrorException"/> from <paramref name="onFrame"/>
    /// (a reply nobody asked for), fails the connection: the stream cannot be trusted past it.
    /// </summary>
    protected SequencePosition DecodeFrames<TFrame>(IFrameDecoder<TFrame> decoder, in ReadOnlySequence<byte> data, Action<TFrame> onFrame)
    {
        var buffer = data;
        try
        {
            while (Usable && decoder.TryDecode(ref buffer, out var frame))
            {
                onFrame(frame);
            }
        }
        catch (ProtocolErrorException e)
        {
            FailConnection(e);
            return data.End;
        }

        return buffer.Start;
    }

    /// <summary>
    /// The peer sent something that cannot be trusted (a malformed or unexpected reply): the connection is aborted and
    /// every request in flight fails by the one rule, with <paramref name="reason"/> as the cause.
    /// </summary>
    protected void FailConnection(Exception reason)
    {
        if (_failure is not null || !Connected)
        {
            return;
        }

        _failure = reason;
        Owner?.Lost(this, reason);
        Transport.AbortConnection();
    }

    /// <summary>
    /// The peer ended the session in-band, for <paramref name="reason"/> (a goodbye such as AMQP's connection.close):
    /// requests in flight fail with it as the cause, and the connection closes after what was written (the
    /// acknowledgement of the goodbye) has been sent, rather than being reset.
    /// </summary>
    protected void CloseConnection(Exception reason)
    {
        if (_failure is not null || !Connected)
        {
            return;
        }

        _failure = reason;
        Owner?.Lost(this, reason);
        Transport.LoseConnection();
    }

    /// <inheritdoc />
    public sealed override void ConnectionMade()
    {
        _transportFull = _holding = false;
        (Transport as IConsumer)?.RegisterProducer(this);
        OnConnectionMade();
        Owner?.Made(this);
    }

    /// <inheritdoc />
    protected sealed override void ConnectionLost(Exception reason)
    {
        if (_failure is null)
        {
            Owner?.Lost(this, reason);
        }

        OnConnectionLost(_failure ?? reason);
    }

    /// <summary>
    /// Keeps new requests in the service's backlog while the peer asks for a pause (AMQP's connection.blocked), and
    /// sends them when released. Never written, they are not lost with the connection: they go out on the next one.
    /// </summary>
    protected void HoldRequests(bool hold)
    {
        _holding = hold;
        Resumed();
    }

    void IPushProducer.PauseProducing() => _transportFull = true;

    void IPushProducer.ResumeProducing()
    {
        _transportFull = false;
        Resumed();
    }

    void IPushProducer.StopProducing() => _transportFull = true;

    private void Resumed()
    {
        if (!WritePaused)
        {
            Owner?.Answered(this);
        }
    }

    /// <summary>The connection is up; runs before the service starts the handshake.</summary>
    protected virtual void OnConnectionMade()
    {
    }

    /// <summary>The connection is gone; in-flight requests have already been failed.</summary>
    protected virtual void OnConnectionLost(Exception reason)
    {
    }
}
