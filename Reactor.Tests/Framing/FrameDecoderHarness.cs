using System.Buffers;
using Xunit.Sdk;

namespace ReactiveKv.Tests.Framing;

/// <summary>
/// Feeds any <see cref="IFrameDecoder{TFrame}"/> one byte stream in every way a socket could deliver it — whole, split
/// in two at every position (as a two-segment sequence, and as a first delivery followed by the rest appended), and
/// in random chunks — and checks it decodes the same frames every time. Frames may point into the buffer, so each
/// is turned into a comparable view by the test's projection as soon as it is decoded. A fresh decoder is made for
/// every delivery, since decoders may keep state between frames.
/// </summary>
public static class FrameDecoderHarness
{
    private const int DefaultSeed = 1978;
    private const int RandomRounds = 20;

    /// <summary>
    /// Runs every delivery of <paramref name="stream"/> (which must be whole frames) and returns the frames' views,
    /// for the test to check against what the stream holds. Views are compared with their default equality, so
    /// project to strings, records or tuples rather than arrays.
    /// </summary>
    public static IReadOnlyList<TView> DecodeEveryWay<TFrame, TView>(Func<IFrameDecoder<TFrame>> create, byte[] stream, Func<TFrame, TView> project, int seed = DefaultSeed)
    {
        var whole = new Delivery<TFrame, TView>(create(), project);
        whole.Receive(stream);
        Assert.True(whole.Pending == 0, $"{whole.Pending} bytes of the whole stream were left undecoded");
        var expected = whole.Views;

        for (var split = 0; split <= stream.Length; split++)
        {
            var twoSegments = new Delivery<TFrame, TView>(create(), project);
            twoSegments.Receive(stream[..split], stream[split..]);
            Same(expected, twoSegments, $"a two-segment buffer split at {split}");

            var twoReads = new Delivery<TFrame, TView>(create(), project);
            twoReads.Receive(stream[..split]);
            twoReads.Receive(stream[split..]);
            Same(expected, twoReads, $"a read of {split} bytes followed by the rest");
        }

        InRandomChunks(create, stream, project, seed, expected);
        EveryPrefixStopsAtAFrameEnd(create, stream, project, whole.FrameEnds, expected);
        return expected;
    }

    /// <summary>
    /// Feeds <paramref name="stream"/> whole, then byte by byte, and returns what the decoder threw; both deliveries
    /// must throw the same type (derived from <see cref="ProtocolErrorException"/>) rather than wait for more.
    /// </summary>
    public static ProtocolErrorException Rejects<TFrame>(Func<IFrameDecoder<TFrame>> create, byte[] stream)
    {
        var whole = Assert.ThrowsAny<ProtocolErrorException>(() => new Delivery<TFrame, int>(create(), _ => 0).Receive(stream));
        var trickle = Assert.ThrowsAny<ProtocolErrorException>(() =>
        {
            var delivery = new Delivery<TFrame, int>(create(), _ => 0);
            foreach (var b in stream)
            {
                delivery.Receive([b]);
            }
        });
        Assert.Equal(whole.GetType(), trickle.GetType());
        return whole;
    }

    private static void InRandomChunks<TFrame, TView>(Func<IFrameDecoder<TFrame>> create, byte[] stream, Func<TFrame, TView> project, int seed, IReadOnlyList<TView> expected)
    {
        var random = new Random(seed);
        for (var round = 0; round < RandomRounds; round++)
        {
            var delivery = new Delivery<TFrame, TView>(create(), project);
            var sizes = new List<int>();
            for (var at = 0; at < stream.Length;)
            {
                var size = Math.Min(stream.Length - at, random.Next(1, Math.Max(2, stream.Length / 3)));
                sizes.Add(size);
                delivery.Receive(stream.AsSpan(at, size).ToArray());
                at += size;
            }

            Same(expected, delivery, $"random chunks (seed {seed}, round {round}: {string.Join(", ", sizes)})");
        }
    }

    private static void EveryPrefixStopsAtAFrameEnd<TFrame, TView>(Func<IFrameDecoder<TFrame>> create, byte[] stream, Func<TFrame, TView> project, IReadOnlyList<long> frameEnds, IReadOnlyList<TView> expected)
    {
        for (var cut = 0; cut < stream.Length; cut++)
        {
            var delivery = new Delivery<TFrame, TView>(create(), project);
            delivery.Receive(stream[..cut]);
            var complete = frameEnds.Count(end => end <= cut);
            var context = $"a stream cut after {cut} of {stream.Length} bytes";
            Assert.True(complete == delivery.Views.Count, $"{context}: {delivery.Views.Count} frames decoded, {complete} expected");
            Assert.True(expected.Take(complete).SequenceEqual(delivery.Views), $"{context}: the frames before the cut differ");
        }
    }

    private static void Same<TFrame, TView>(IReadOnlyList<TView> expected, Delivery<TFrame, TView> actual, string how)
    {
        if (actual.Pending != 0 || !expected.SequenceEqual(actual.Views))
        {
            throw new XunitException($"Fed as {how}: decoded [{string.Join(" | ", actual.Views)}] with {actual.Pending} bytes left, expected [{string.Join(" | ", expected)}]");
        }
    }

    /// <summary>One decoder fed like a socket: bytes accumulate in segments, and each delivery decodes all it can.</summary>
    private sealed class Delivery<TFrame, TView>(IFrameDecoder<TFrame> decoder, Func<TFrame, TView> project)
    {
        private readonly List<byte[]> _segments = [];
        private long _consumed;
        private long _received;

        public List<TView> Views { get; } = [];

        /// <summary>Where each decoded frame ended, in stream offsets.</summary>
        public List<long> FrameEnds { get; } = [];

        public long Pending => _received - _consumed;

        /// <summary>Appends the given segments and decodes until the decoder asks for more.</summary>
        public void Receive(params byte[][] segments)
        {
            foreach (var segment in segments)
            {
                _segments.Add(segment);
                _received += segment.Length;
            }

            var buffer = Unconsumed();
            while (true)
            {
                var before = buffer;
                if (!decoder.TryDecode(ref buffer, out var frame))
                {
                    Assert.True(before.Start.Equals(buffer.Start) && before.Length == buffer.Length, "a decoder that wants more bytes moved the buffer");
                    return;
                }

                var used = before.Length - buffer.Length;
                Assert.True(used > 0, "a decoder returned a frame without consuming a byte");
                Views.Add(project(frame));
                _consumed += used;
                FrameEnds.Add(_consumed);
            }
        }

        private ReadOnlySequence<byte> Unconsumed() => SegmentedSequence.Of(_segments).Slice(_consumed);
    }
}
