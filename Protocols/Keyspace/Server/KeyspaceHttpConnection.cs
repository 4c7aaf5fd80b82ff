using System.Buffers;
using System.Globalization;
using System.Text;

namespace ReactiveKv.Keyspace;

/// <summary>
/// One request on a node's HTTP port (§11): reads the header block, runs the command through the cluster (a write is
/// submitted at once, its own round), answers in plain or JSON mode and closes, as the real server does.
/// </summary>
internal sealed class KeyspaceHttpConnection(ClusterModel cluster, int node) : Protocol, IReplySink
{
    private const int MaxHeaderBytes = 64 * 1024;
    private const string Unable = "Unable to process your request at this time";

    private HttpRequestLine? _request;
    private HttpCommand? _command;
    private bool _answered;

    public override SequencePosition DataReceived(in ReadOnlySequence<byte> data)
    {
        if (_request is not null)
        {
            // One request per connection; whatever follows is ignored.
            return data.End;
        }

        var reader = new SequenceReader<byte>(data);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> head, "\r\n\r\n"u8))
        {
            if (data.Length > MaxHeaderBytes)
            {
                Transport.AbortConnection();
                return data.End;
            }

            return data.Start;
        }

        var text = Encoding.Latin1.GetString(head);
        var line = text.Split("\r\n")[0];
        _request = HttpRequestLine.Parse(line) ?? new HttpRequestLine("", "\0", []);
        Run(_request);
        return data.End;
    }

    private void Run(HttpRequestLine request)
    {
        if (request.Command == "")
        {
            Respond(200, Encoding.ASCII.GetBytes(StatusPage()), fixedLength: true);
            return;
        }

        if (request.Command == "getmaster")
        {
            var master = cluster.MasterSeenBy(node) ?? -1;
            Respond(200, Encoding.ASCII.GetBytes(master.ToString(CultureInfo.InvariantCulture)), fixedLength: true);
            return;
        }

        _command = HttpCommand.From(request);
        if (_command is null || (request.Mode is not ("" or "json" or "html")))
        {
            Respond(404, "Not found"u8.ToArray(), fixedLength: true);
            return;
        }

        cluster.Handle(node, _command.Request, this);
        if (KeyspaceRequest.IsWrite(_command.Request.Command))
        {
            // HTTP writes are their own round.
            cluster.Handle(node, new KeyspaceRequest { Command = (KeyspaceCommand)'*' }, this);
        }
    }

    private string StatusPage() =>
        string.Create(CultureInfo.InvariantCulture, $"Keyspace v1.9.0\n\nRunning with {cluster.NodeCount} node(s)\nMy nodeID: {node}\nMaster: {cluster.MasterSeenBy(node) ?? -1}\nReplication round: {cluster.AppliedRounds(node)}\n");

    public void Send(ServerReply reply, bool thenClose = false) => OnLoop(() => Answer([reply], thenClose));

    public void SendAll(List<ServerReply> replies) => OnLoop(() => Answer(replies, false));

    public void Abort() => OnLoop(() => Transport.AbortConnection());

    private void OnLoop(Action action) => Transport.Loop.Execute(() =>
    {
        if (Connected && !_answered)
        {
            action();
        }
    });

    private void Answer(List<ServerReply> replies, bool rejected)
    {
        var command = _command!;
        var mode = _request!.Mode;
        var body = HttpAnswer.Format(command, mode, replies, rejected ? Unable : null);
        if (_request.Parameters.TryGetValue("callback", out var callback) && mode == "json")
        {
            body = [.. callback, (byte)'(', .. body, (byte)')'];
        }

        Respond(200, body, fixedLength: !command.IsList);
    }

    private void Respond(int status, byte[] body, bool fixedLength)
    {
        _answered = true;
        var head = new StringBuilder();
        head.Append("HTTP/1.1 ").Append(status).Append(status == 200 ? " OK" : " Not Found").Append("\r\n");
        head.Append("Connection: close\r\nContent-Type: text/plain\r\n");
        if (fixedLength)
        {
            head.Append("Content-Length: ").Append(body.Length).Append("\r\n");
        }

        // A list has no length: its body ends at the close and starts with an extra CRLF (§11.2).
        head.Append(fixedLength ? "\r\n" : "\r\n\r\n");
        Transport.Write(Encoding.ASCII.GetBytes(head.ToString()));
        Transport.Write(body);
        Transport.LoseConnection();
    }
}
