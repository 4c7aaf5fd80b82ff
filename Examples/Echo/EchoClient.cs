using System.Buffers;
using System.Text;

namespace ReactiveKv.Examples.Echo;

/// <summary>Twisted's <c>EchoClient</c>: sends its lines and a farewell, prints what comes back, hangs up on the farewell.</summary>
public sealed class EchoClient(IReadOnlyList<string> lines, TextWriter output) : LineReceiver
{
    /// <summary>The last line sent; its echo ends the conversation.</summary>
    public const string End = "Bye-bye!";

    private readonly List<string> _received = [];

    /// <summary>What was sent, farewell included.</summary>
    public IReadOnlyList<string> Sent { get; } = [.. lines, End];

    /// <summary>The lines echoed back so far.</summary>
    public IReadOnlyList<string> Received => _received;

    /// <inheritdoc />
    public override void ConnectionMade()
    {
        foreach (var line in Sent)
        {
            SendLine(Encoding.UTF8.GetBytes(line));
        }
    }

    /// <inheritdoc />
    protected override void LineReceived(in ReadOnlySequence<byte> line)
    {
        var text = Encoding.UTF8.GetString(line);
        output.WriteLine($"receive: {text}");
        _received.Add(text);
        if (text == End)
        {
            Transport.LoseConnection();
        }
    }
}
