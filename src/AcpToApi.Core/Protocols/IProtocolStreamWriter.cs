using System.Buffers;
using AcpToApi.Backends;
using AcpToApi.Streaming;

namespace AcpToApi.Protocols;

/// <summary>A protocol's server-side stream renderer: one event in, at most one frame out, so each frame can be flushed.</summary>
internal interface IProtocolStreamWriter
{
    /// <summary>Renders one event; false when the event needs no frame (nothing to flush).</summary>
    bool Write(ChatEvent chatEvent, IBufferWriter<byte> output);

    /// <summary>The protocol's in-band error, used once the response has started; the stream ends after it.</summary>
    void WriteError(ChatBackendException error, IBufferWriter<byte> output);

    /// <summary>True once the protocol's end-of-stream frames have been written.</summary>
    bool Completed { get; }
}
