using System.Buffers;
using System.Text;

namespace ReactiveKv.Examples.Chat;

/// <summary>Twisted's chat server protocol: ask for a name, then relay every line to the other users.</summary>
public sealed class ChatProtocol(ChatRoom room) : LineReceiver
{
    private string? _name;

    /// <inheritdoc />
    public override void ConnectionMade() => Send("What's your name?");

    /// <summary>Sends <paramref name="line"/> to this user; callable from any loop, as broadcasts come from others' loops.</summary>
    public void Deliver(string line)
    {
        // Marshal the whole line at once: two writes queued separately from different loops could interleave.
        Transport.Loop.Execute(() => Send(line));
    }

    /// <inheritdoc />
    protected override void LineReceived(in ReadOnlySequence<byte> line)
    {
        var text = Encoding.UTF8.GetString(line);
        if (_name is null)
        {
            HandleName(text);
        }
        else
        {
            room.Broadcast(this, $"<{_name}> {text}");
        }
    }

    /// <inheritdoc />
    protected override void ConnectionLost(Exception reason)
    {
        if (_name is not null)
        {
            room.Leave(_name, this);
        }
    }

    private void HandleName(string name)
    {
        if (!room.TryJoin(name, this))
        {
            Send("Name taken, please choose another.");
            return;
        }

        _name = name;
        Send($"Welcome, {name}!");
    }

    private void Send(string line) => SendLine(Encoding.UTF8.GetBytes(line));
}
