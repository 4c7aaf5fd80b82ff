using System.Buffers;
using System.Text;

namespace ReactiveKv.Tests.Clients;

/// <summary>A request of the toy backend: one line out, one line back.</summary>
internal sealed class ToyRequest(string line) : ClientRequest
{
    public string Line { get; } = line;

    public Deferred<string> Result { get; } = new();

    public override string Operation => Line;

    public override bool IsSettled => Result.Called;

    public override void Fail(Exception error) => Result.TryErrback(error);
}

/// <summary>The toy backend's connection: writes each request as a line and matches reply lines first in, first out.</summary>
internal sealed class ToyLineProtocol : ClientProtocol<ToyRequest>
{
    private readonly Queue<ToyRequest> _awaiting = new();

    /// <summary>A line to send and wait for before the connection is ready, as a handshake.</summary>
    public string? Hello { get; init; }

    public override int InFlight => _awaiting.Count;

    protected internal override async Task HandshakeAsync()
    {
        if (Hello is { } hello)
        {
            var request = new ToyRequest(hello);
            SendDuringHandshake(request);
            if (await request.Result != "WELCOME")
            {
                throw new InvalidOperationException("the toy server did not welcome us");
            }
        }
    }

    protected internal override void Send(ToyRequest request)
    {
        Transport.Write(Encoding.ASCII.GetBytes(request.Line + "\n"));
        _awaiting.Enqueue(request);
    }

    protected internal override IEnumerable<ToyRequest> TakeInFlight()
    {
        var taken = _awaiting.ToArray();
        _awaiting.Clear();
        return taken;
    }

    public override SequencePosition DataReceived(in ReadOnlySequence<byte> data)
    {
        var reader = new SequenceReader<byte>(data);
        while (Usable && reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
        {
            var text = Encoding.ASCII.GetString(line);
            if (text == "GARBAGE" || !_awaiting.TryDequeue(out var request))
            {
                FailConnection(new ProtocolErrorException($"unexpected line '{text}'"));
                return data.End;
            }

            request.Answered = true;
            request.ReportSettled((Exception?)null);
            request.Result.TryCallback(text);
            RequestAnswered();
        }

        return reader.Position;
    }
}
