using System.Buffers;

namespace ReactiveKv.Fuzzing;

/// <summary>A decoder of <typeparamref name="TFrame"/> frames with a projection that parses each as deep as the library does.</summary>
/// <typeparam name="TFrame">The decoder's frame type.</typeparam>
public sealed class FuzzTarget<TFrame> : FuzzTarget
{
    private const int FillByte = (byte)'a';
    private const int FillPage = 4096;
    private readonly Func<IFrameDecoder<TFrame>> _create;
    private readonly Func<TFrame, string> _project;

    /// <summary>Creates the target.</summary>
    /// <param name="name">The decoder's name.</param>
    /// <param name="create">A fresh decoder, with the limits <paramref name="maxPending"/> follows from.</param>
    /// <param name="project">Parses a frame as the library would and renders it comparably; may throw typed protocol errors.</param>
    /// <param name="seeds">Valid streams.</param>
    /// <param name="maxPending">The most bytes the decoder may hold undecided.</param>
    public FuzzTarget(string name, Func<IFrameDecoder<TFrame>> create, Func<TFrame, string> project, IReadOnlyList<byte[]> seeds, long maxPending)
        : base(name, seeds, maxPending)
    {
        _create = create;
        _project = project;
    }

    /// <inheritdoc />
    public override (IReadOnlyList<string>? Views, string? Failure) Feed(byte[] input, IReadOnlyList<int> chunks, bool thenFill)
    {
        var decoder = _create();
        var views = new List<string>();
        var pending = Array.Empty<byte>();
        var at = 0;
        try
        {
            foreach (var size in chunks)
            {
                pending = [.. pending, .. input.AsSpan(at, size)];
                at += size;
                if (Drain(decoder, ref pending, views) is { } failure)
                {
                    return (null, failure);
                }
            }

            if (thenFill && pending.Length > 0)
            {
                // Whatever the decoder waits for, bytes that cannot finish a frame must make it decide within its
                // limits. Fed a page at a time: most decoders decide on the first.
                var page = new byte[FillPage];
                Array.Fill(page, (byte)FillByte);
                while (pending.Length > 0 && pending.Length <= MaxPending)
                {
                    pending = [.. pending, .. page];
                    if (Drain(decoder, ref pending, views) is { } failure)
                    {
                        return (null, failure);
                    }
                }

                if (pending.Length > MaxPending)
                {
                    return (null, $"held {pending.Length} bytes without a frame or an error (its limits allow {MaxPending})");
                }
            }

            return (views, null);
        }
        catch (ProtocolErrorException)
        {
            return (null, null);
        }
        catch (Exception e)
        {
            return (null, $"threw {e.GetType().Name}: {OneLine(e.Message)}");
        }
    }

    private string? Drain(IFrameDecoder<TFrame> decoder, ref byte[] pending, List<string> views)
    {
        while (pending.Length > 0)
        {
            var buffer = new ReadOnlySequence<byte>(pending);
            var before = buffer.Length;
            if (!decoder.TryDecode(ref buffer, out var frame))
            {
                return buffer.Length == before ? null : "returned false but consumed bytes";
            }

            if (buffer.Length >= before)
            {
                return "decoded a frame without consuming a byte";
            }

            // The frame may point into the buffer: parse it before the buffer is replaced.
            views.Add(_project(frame));
            pending = buffer.ToArray();
        }

        return null;
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
