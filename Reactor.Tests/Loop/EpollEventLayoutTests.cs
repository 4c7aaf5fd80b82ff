using System.Runtime.InteropServices;

namespace ReactiveKv.Tests.Loop;

/// <summary>
/// <c>struct epoll_event</c> is packed on x86-64 only; an arm64 kernel reads 16-byte events with the data at offset 8.
/// These check the layout the poller picks for each architecture, so arm64 is covered on an x86-64 machine.
/// </summary>
[Trait("Category", "Unit")]
public class EpollEventLayoutTests
{
    [Theory]
    [InlineData(Architecture.X64, 12, 4)]
    [InlineData(Architecture.X86, 12, 4)]
    [InlineData(Architecture.Arm64, 16, 8)]
    [InlineData(Architecture.Arm, 16, 8)]
    [InlineData(Architecture.RiscV64, 16, 8)]
    [InlineData(Architecture.LoongArch64, 16, 8)]
    public void EachArchitecture_GetsItsKernelsSizeAndDataOffset(Architecture architecture, int size, int dataOffset)
    {
        var layout = EpollEventLayout.For(architecture);

        Assert.Equal(size, layout.Size);
        Assert.Equal(dataOffset, layout.DataOffset);
    }

    [Fact]
    public void TheLayouts_AreTheMarshalledSizesAndDataOffsetsOfTheTwoStructs()
    {
        Assert.Equal(12, Marshal.SizeOf<EpollNative.PackedEvent>());
        Assert.Equal(4, (int)Marshal.OffsetOf<EpollNative.PackedEvent>(nameof(EpollNative.PackedEvent.Data)));
        Assert.Equal(16, Marshal.SizeOf<EpollNative.AlignedEvent>());
        Assert.Equal(8, (int)Marshal.OffsetOf<EpollNative.AlignedEvent>(nameof(EpollNative.AlignedEvent.Data)));
    }

    [Fact]
    public void ThisProcess_UsesTheLayoutOfItsOwnArchitecture() =>
        Assert.Equal(EpollEventLayout.For(RuntimeInformation.ProcessArchitecture), EpollEventLayout.Current);

    [Theory]
    [InlineData(Architecture.X64)]
    [InlineData(Architecture.Arm64)]
    public void AnEventWrittenIntoAnArray_IsReadBackAtThatLayoutsStride_WithoutTouchingItsNeighbours(Architecture architecture)
    {
        var layout = EpollEventLayout.For(architecture);
        var array = new byte[3 * layout.Size];
        array.AsSpan().Fill(0xEE);

        layout.Write(array.AsSpan(layout.Size), EpollNative.In | EpollNative.Out, 0x1122334455667788UL);

        Assert.Equal(EpollNative.In | EpollNative.Out, layout.EventsAt(array, 1));
        Assert.Equal(0x1122334455667788UL, layout.DataAt(array, 1));
        Assert.Equal(0xEEEEEEEEu, layout.EventsAt(array, 2));
        Assert.Equal(0xEEEEEEEEEEEEEEEEUL, layout.DataAt(array, 0));
    }
}
