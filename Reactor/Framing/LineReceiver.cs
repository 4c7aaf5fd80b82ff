using System.Buffers;

namespace ReactiveKv;

/// <summary>
/// Splits incoming bytes into lines (Twisted's <c>LineReceiver</c>): a configurable delimiter and maximum length,
/// and a raw mode for protocols that switch to byte counts mid-stream. Lines are handed out without copying.
/// </summary>
public abstract class LineReceiver : Protocol
{
    private byte[] _delimiter = "\r\n"u8.ToArray();
    private bool _rawMode;
    private bool _paused;

    /// <summary>The line delimiter (default CR LF).</summary>
    public ReadOnlySpan<byte> Delimiter
    {
        get => _delimiter;
        set => _delimiter = value.Length > 0 ? value.ToArray() : throw new ArgumentException("The delimiter cannot be empty.");
    }

    /// <summary>Longest line accepted, delimiter excluded (Twisted's default 16384).</summary>
    public int MaxLineLength { get; set; } = 16384;

    /// <summary>Writes <paramref name="line"/> followed by the delimiter.</summary>
    public void SendLine(ReadOnlySpan<byte> line)
    {
        Transport.Write(line);
        Transport.Write(_delimiter);
    }

    /// <summary>From the next byte on, deliver data to <see cref="RawDataReceived"/> instead of splitting it into lines.</summary>
    public void SetRawMode() => _rawMode = true;

    /// <summary>Go back to splitting lines.</summary>
    public void SetLineMode() => _rawMode = false;

    /// <summary>Stop delivering lines until <see cref="ResumeLines"/> (buffered bytes wait, unread).</summary>
    public void PauseLines()
    {
        _paused = true;
        (Transport as IPushProducer)?.PauseProducing();
    }

    /// <summary>Deliver lines again.</summary>
    public void ResumeLines()
    {
        _paused = false;
        (Transport as IPushProducer)?.ResumeProducing();
    }

    /// <inheritdoc />
    public sealed override SequencePosition DataReceived(in ReadOnlySequence<byte> data)
    {
        var reader = new SequenceReader<byte>(data);
        while (!_paused && !reader.End && Connected && !Transport.Disconnecting)
        {
            if (_rawMode)
            {
                var rest = reader.UnreadSequence;
                var consumed = rest.Slice(0, RawDataReceived(rest)).Length;
                reader.Advance(consumed);

                // Still raw and short of bytes: wait for more. Back in line mode: split what is left.
                if (_rawMode && consumed < rest.Length)
                {
                    break;
                }

                continue;
            }

            if (!reader.TryReadTo(out ReadOnlySequence<byte> line, _delimiter, advancePastDelimiter: true))
            {
                if (reader.Remaining > MaxLineLength + _delimiter.Length)
                {
                    LineLengthExceeded(reader.Remaining);
                    reader.AdvanceToEnd();
                }

                break;
            }

            if (line.Length > MaxLineLength)
            {
                LineLengthExceeded(line.Length);
                break;
            }

            LineReceived(line);
        }

        return reader.Position;
    }

    /// <summary>A complete line arrived (delimiter stripped). The memory is only valid during the call.</summary>
    protected abstract void LineReceived(in ReadOnlySequence<byte> line);

    /// <summary>Raw-mode data; return how far it was consumed.</summary>
    protected virtual SequencePosition RawDataReceived(in ReadOnlySequence<byte> data) =>
        throw new NotSupportedException($"{GetType().Name} switched to raw mode without overriding RawDataReceived.");

    /// <summary>A line is longer than <see cref="MaxLineLength"/>; by default the connection is aborted, as in Twisted.</summary>
    protected virtual void LineLengthExceeded(long length) => Transport.AbortConnection();
}
