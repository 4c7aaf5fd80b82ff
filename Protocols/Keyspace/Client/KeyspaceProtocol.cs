using System.Buffers;

namespace ReactiveKv.Keyspace;

/// <summary>
/// One node connection: writes each call's frame with a fresh id, matches replies by id (they are not in request
/// order, spec §6), gathers list items until the end mark, and writes one <c>1:*</c> at the end of every loop turn
/// that wrote a write, so the writes of a turn share one round.
/// <para>
/// Rejections: a node that cannot serve a master-only call answers <c>f</c> and closes the connection (§8.3), which
/// looks in-band exactly like a genuine failure (a missing key). So an <c>f</c> is held, not delivered: any later
/// frame on the connection proves it stayed open and the <c>f</c> genuine; a close before any later frame makes it a
/// rejection. To get that later frame promptly a get-master probe is written behind the held <c>f</c>; the node
/// handles frames in order, so it answers the probe only if it did not close.
/// </para>
/// </summary>
internal sealed class KeyspaceProtocol(int node, IKeyspaceRouter router, KeyspaceErrors errors, string server) : ClientProtocol<KeyspaceCall>
{
    private readonly KeyspaceFrameDecoder _decoder = new();
    private readonly Dictionary<ulong, KeyspaceCall> _calls = [];
    private readonly HashSet<ulong> _probes = [];
    private readonly List<(KeyspaceCall Call, KeyspaceReply Reply)> _held = [];
    private readonly ForgottenIds _forgotten = new(MaxForgotten);
    private Action<ReadOnlySequence<byte>>? _onFrame;
    private Action? _submit;
    private ulong _nextId;
    private long _sequence;
    private bool _submitPending;

    // Enough for every call of a burst that timed out together; a reply to an id forgotten longer ago than this is
    // treated as a reply nobody asked for.
    private const int MaxForgotten = 4096;

    /// <summary>The node's id (its position in the node list).</summary>
    public int Node => node;

    public override int InFlight => _calls.Count + _held.Count;

    /// <summary>Asks the node which node is master, unless a question is already out.</summary>
    public void Probe()
    {
        if (!Usable || _probes.Count > 0)
        {
            return;
        }

        var id = ++_nextId;
        _probes.Add(id);
        KeyspaceFrameWriter.Write(Transport.Output, new KeyspaceRequest { Command = KeyspaceCommand.GetMaster, Id = id });
    }

    public override SequencePosition DataReceived(in ReadOnlySequence<byte> data) => DecodeFrames(_decoder, data, _onFrame ??= OnFrame);

    protected override void Send(KeyspaceCall request)
    {
        request.Wire.Id = ++_nextId;
        request.Sequence = ++_sequence;
        _calls.Add(request.Wire.Id, request);
        KeyspaceFrameWriter.Write(Transport.Output, request.Wire);
        if (request.IsWrite && !_submitPending)
        {
            _submitPending = true;
            Transport.Loop.RunAtEndOfTurn(_submit ??= WriteSubmit);
        }
    }

    // A timed-out call leaves the window; its reply (and list items) may still come and must be dropped, not taken
    // for a protocol violation.
    protected override void Forget(KeyspaceCall request)
    {
        if (_calls.TryGetValue(request.Wire.Id, out var call) && ReferenceEquals(call, request))
        {
            _calls.Remove(request.Wire.Id);
            _forgotten.Add(request.Wire.Id);
        }
    }

    protected override IEnumerable<KeyspaceCall> TakeInFlight()
    {
        var rejected = _held.Count > 0;
        var inFlight = _calls.Values.OrderBy(c => c.Sequence).ToList();
        var held = _held.Select(h => h.Call).ToList();
        _calls.Clear();
        _held.Clear();
        _probes.Clear();
        router.NodeLost(node, rejected);
        var lost = new List<KeyspaceCall>();
        foreach (var call in held.Concat(inFlight))
        {
            Classify(call, rejected, held.Contains(call), lost);
        }

        return lost;
    }

    // A rejected call did not execute and a read can always run again: both are retried. A write that was waiting
    // for its round may have been applied: it fails (with MayHaveExecuted) rather than risk running twice.
    private void Classify(KeyspaceCall call, bool rejected, bool wasRejected, List<KeyspaceCall> lost)
    {
        if (call.IsSettled)
        {
            return;
        }

        if (wasRejected || !call.IsWrite)
        {
            router.Retry(call, node, wasRejected ? KeyspaceRetryReason.Rejected : KeyspaceRetryReason.ConnectionLost);
        }
        else if (rejected)
        {
            call.Fail(errors.LostWithRejection(call, server));
        }
        else
        {
            lost.Add(call);
        }
    }

    private void WriteSubmit()
    {
        _submitPending = false;
        if (Usable)
        {
            KeyspaceFrameWriter.WriteSubmit(Transport.Output);
        }
    }

    private void OnFrame(ReadOnlySequence<byte> body)
    {
        // Any frame after an f, even a malformed one, proves the connection outlived it: the f was genuine.
        SettleHeld();
        var reply = KeyspaceReply.Parse(body);
        if (_probes.Remove(reply.Id))
        {
            ProbeAnswered(reply);
            return;
        }

        if (!_calls.TryGetValue(reply.Id, out var call))
        {
            if (_forgotten.Contains(reply.Id))
            {
                DropLate(reply);
                return;
            }

            throw new ProtocolErrorException($"Keyspace at {server} answered id {reply.Id}, which no call is waiting for.");
        }

        switch (reply.Type)
        {
            case KeyspaceReplyType.ListItem or KeyspaceReplyType.ListPairItem:
                Item(call, reply);
                break;
            case KeyspaceReplyType.Failed:
                Hold(call, reply);
                break;
            case KeyspaceReplyType.NotMaster:
                _calls.Remove(reply.Id);
                call.Answered = true;
                RequestAnswered();
                router.LostLease(node);
                Resend(call);
                break;
            default:
                Final(call, reply);
                break;
        }
    }

    private void DropLate(KeyspaceReply reply)
    {
        if (reply.Type is not (KeyspaceReplyType.ListItem or KeyspaceReplyType.ListPairItem))
        {
            _forgotten.Remove(reply.Id);
        }
    }

    private void ProbeAnswered(KeyspaceReply reply)
    {
        int? master = reply.Type switch
        {
            KeyspaceReplyType.NotMaster => null,
            KeyspaceReplyType.Ok when reply.Value is { } v && int.TryParse(v, System.Globalization.NumberStyles.None, null, out var id) => id,
            _ => throw new ProtocolErrorException($"Keyspace at {server} answered get-master with '{reply}', not o:<id>:<nodeID> or n:<id>."),
        };
        router.MasterReported(node, master);
    }

    private void Item(KeyspaceCall call, KeyspaceReply reply)
    {
        var expected = call.Wire.Command is KeyspaceCommand.ListKeys or KeyspaceCommand.DirtyListKeys ? KeyspaceReplyType.ListItem : KeyspaceReplyType.ListPairItem;
        if (!call.IsList || reply.Type != expected)
        {
            throw new ProtocolErrorException($"Keyspace at {server} sent a list item '{reply}' for {call.Operation}.");
        }

        call.Items.Add(reply);
    }

    private void Hold(KeyspaceCall call, KeyspaceReply reply)
    {
        _calls.Remove(reply.Id);
        _held.Add((call, reply));
        Probe();
    }

    private void SettleHeld()
    {
        if (_held.Count == 0)
        {
            return;
        }

        var held = _held.ToArray();
        _held.Clear();
        foreach (var (call, reply) in held)
        {
            call.Answered = true;
            call.Succeed(reply);
        }

        RequestAnswered();
    }

    private void Final(KeyspaceCall call, KeyspaceReply reply)
    {
        if (call.IsList != (reply.Type == KeyspaceReplyType.ListEnd))
        {
            throw new ProtocolErrorException($"Keyspace at {server} answered {call.Operation} with '{reply}'.");
        }

        _calls.Remove(reply.Id);
        call.Answered = true;
        if (call.NeedsMaster)
        {
            router.ServedAsMaster(node);
        }

        call.Succeed(reply);
        RequestAnswered();
    }

    // n: the node took the call while master but lost the lease before completing it, so it was not applied (§5).
    private void Resend(KeyspaceCall call)
    {
        if (!call.IsSettled)
        {
            router.Retry(call, node, KeyspaceRetryReason.NotMaster);
        }
    }
}
