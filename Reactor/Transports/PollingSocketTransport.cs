using System.Buffers;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace ReactiveKv;

/// <summary>
/// A plain socket read and written by its own loop thread, as in Twisted's epollreactor: the loop's epoll says the
/// socket is readable, the loop reads into the connection's buffer and hands the bytes to the protocol at once;
/// writes of a turn are gathered and sent at the end of the turn, and only what the kernel refuses waits for
/// <c>EPOLLOUT</c>. No thread between the kernel and the protocol; buffering and closing are <see cref="TransportBase"/>'s.
/// </summary>
internal sealed class PollingSocketTransport : TransportBase, IReadinessHandler
{
    private const int MinFreeSpace = 8 << 10;
    private const int InitialReadBuffer = 16 << 10;
    private const int MaxReadsPerWakeup = 8;
    private const int MaxGatheredSegments = 64;

    private readonly IPoller _poller;
    private readonly Socket _socket;
    private readonly int _fd;
    private readonly List<ArraySegment<byte>> _gather = [];
    private byte[] _input;
    private int _inputStart;
    private int _inputEnd;
    private ulong _token;
    private uint _interest;
    private bool _registered;
    private bool _closed;
    private bool _outputShut;

    public PollingSocketTransport(EventLoop loop, IPoller poller, SocketChannel channel, TransportOptions options, ILogger logger, ConnectionTracker? tracker)
        : base(loop, channel, options, logger, tracker)
    {
        _poller = poller;
        _socket = channel.Socket;
        _socket.Blocking = false;
        _fd = (int)_socket.Handle;
        _input = ArrayPool<byte>.Shared.Rent(InitialReadBuffer);
    }

    private bool CanRead => !_closed && !ReadingStopped && !ReadPaused && !ReadClosed;

    public void OnReadiness(uint events)
    {
        if ((events & (EpollNative.Out | EpollNative.Error | EpollNative.HangUp)) != 0 && (_interest & EpollNative.Out) != 0)
        {
            SendPending();
        }

        if ((events & (EpollNative.In | EpollNative.Error | EpollNative.HangUp | EpollNative.ReadHangUp)) != 0)
        {
            ReadAvailable();
        }
    }

    protected override void StartIo() => UpdateInterest();

    protected override void SendFlushed()
    {
        // Waiting for EPOLLOUT means the kernel is full: trying now would only be refused again.
        if ((_interest & EpollNative.Out) == 0)
        {
            SendPending();
        }
    }

    protected override void ReadingChanged()
    {
        UpdateInterest();

        // Bytes read before a pause are delivered on a later turn, not inside the ResumeProducing caller's stack.
        if (CanRead && _inputEnd > _inputStart)
        {
            Loop.Post(static s => ((PollingSocketTransport)s!).Deliver(), this);
        }
    }

    protected override void CloseWhenSent()
    {
        if (!_closed && PendingWriteBytes == 0)
        {
            Close(abort: false);
        }
    }

    protected override void ShutDownOutputWhenSent()
    {
        if (!_closed && PendingWriteBytes == 0)
        {
            ShutDownOutput();
        }
    }

    protected override void Reset() => Close(abort: true);

    protected override void ReleaseResources()
    {
        Unsent.Complete();
        ArrayPool<byte>.Shared.Return(_input);
        _input = [];
        _inputStart = _inputEnd = 0;
    }

    private void SendPending()
    {
        var reader = Unsent;
        while (!_closed && reader.TryRead(out var result))
        {
            var buffer = result.Buffer;
            if (buffer.IsEmpty)
            {
                reader.AdvanceTo(buffer.End);
                break;
            }

            var sent = SendSome(buffer, out var error);
            reader.AdvanceTo(buffer.GetPosition(sent));
            if (sent > 0)
            {
                Sent(sent);
            }

            if (error == SocketError.WouldBlock)
            {
                WaitWritable(true);
                return;
            }

            if (error != SocketError.Success)
            {
                Fail(Translate(new SocketException((int)error), "sending"));
                return;
            }
        }

        WaitWritable(false);
        if (WritesClosed && !_closed && PendingWriteBytes == 0)
        {
            if (ShuttingDownOutput)
            {
                ShutDownOutput();
            }
            else
            {
                Close(abort: false);
            }
        }
    }

    private int SendSome(in ReadOnlySequence<byte> buffer, out SocketError error)
    {
        if (buffer.IsSingleSegment)
        {
            return Math.Max(0, _socket.Send(buffer.FirstSpan, SocketFlags.None, out error));
        }

        _gather.Clear();
        foreach (var segment in buffer)
        {
            if (!MemoryMarshal.TryGetArray(segment, out var array))
            {
                break;
            }

            _gather.Add(array);
            if (_gather.Count == MaxGatheredSegments)
            {
                break;
            }
        }

        if (_gather.Count == 0)
        {
            return Math.Max(0, _socket.Send(buffer.FirstSpan, SocketFlags.None, out error));
        }

        return Math.Max(0, _socket.Send(_gather, SocketFlags.None, out error));
    }

    private void WaitWritable(bool wait)
    {
        var want = wait ? _interest | EpollNative.Out : _interest & ~EpollNative.Out;
        if (want != _interest)
        {
            SetInterest(want);
        }
    }

    private void ReadAvailable()
    {
        for (var reads = 0; reads < MaxReadsPerWakeup && CanRead; reads++)
        {
            EnsureFreeSpace();
            var space = _input.Length - _inputEnd;
            var read = _socket.Receive(_input.AsSpan(_inputEnd, space), SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                return;
            }

            if (error != SocketError.Success)
            {
                Fail(Translate(new SocketException((int)error), "receiving"));
                return;
            }

            if (read == 0)
            {
                if (KeepOpenAfterPeerFinished())
                {
                    return;
                }

                SetReason(new ConnectionDoneException("The peer closed the connection."));
                Close(abort: false);
                return;
            }

            _inputEnd += read;
            ReactorDiagnostics.BytesReceived.Add(read);
            Deliver();
            if (read < space)
            {
                return;
            }
        }
    }

    private void Deliver()
    {
        if (!CanRead || _inputEnd == _inputStart)
        {
            return;
        }

        var buffer = new ReadOnlySequence<byte>(_input, _inputStart, _inputEnd - _inputStart);
        if (!TryDeliver(buffer, out var consumed))
        {
            return;
        }

        _inputStart += (int)buffer.Slice(0, consumed).Length;
        if (_inputStart == _inputEnd)
        {
            _inputStart = _inputEnd = 0;
        }
        else
        {
            WithinReadLimit(_inputEnd - _inputStart);
        }
    }

    /// <summary>Makes room for the next read: slides a partial frame to the front, or grows the buffer for a large one.</summary>
    private void EnsureFreeSpace()
    {
        if (_input.Length - _inputEnd >= MinFreeSpace)
        {
            return;
        }

        var unconsumed = _inputEnd - _inputStart;
        var target = _input;
        if (_input.Length - unconsumed < MinFreeSpace || unconsumed > _input.Length / 2)
        {
            target = ArrayPool<byte>.Shared.Rent(Math.Max(_input.Length * 2, unconsumed + MinFreeSpace));
        }

        Buffer.BlockCopy(_input, _inputStart, target, 0, unconsumed);
        if (!ReferenceEquals(target, _input))
        {
            ArrayPool<byte>.Shared.Return(_input);
            _input = target;
        }

        _inputStart = 0;
        _inputEnd = unconsumed;
    }

    private void UpdateInterest()
    {
        var want = _interest & EpollNative.Out;
        if (!ReadingStopped && !ReadPaused && !ReadClosed)
        {
            want |= EpollNative.In | EpollNative.ReadHangUp;
        }

        SetInterest(want);
    }

    private void SetInterest(uint want)
    {
        if (_closed || (want == _interest && _registered == (want != 0)))
        {
            return;
        }

        // With no interest the descriptor leaves the set: epoll reports hang-ups regardless, which would spin a paused connection.
        if (want == 0)
        {
            if (_registered)
            {
                _poller.Unregister(_fd, _token);
                _registered = false;
            }
        }
        else if (_registered)
        {
            _poller.Modify(_fd, _token, want);
        }
        else
        {
            _token = _poller.Register(_fd, want, this);
            _registered = true;
        }

        _interest = want;
    }

    // The write half only: the peer reads what was sent, then its end of stream; this side goes on reading.
    private void ShutDownOutput()
    {
        if (_outputShut)
        {
            return;
        }

        _outputShut = true;
        try
        {
            WriteHalf.Shutdown(_socket);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Fail(Translate(e, "shutting down the write half"));
            return;
        }

        OutputShutDown();
    }

    private void Close(bool abort)
    {
        BeginClosing();
        if (_closed)
        {
            return;
        }

        _closed = true;
        if (_registered)
        {
            _poller.Unregister(_fd, _token);
            _registered = false;
        }

        if (abort)
        {
            Channel.Abort();
        }
        else
        {
            Channel.Dispose();
        }

        ConnectionLost();
    }
}
