using AcpToApi.Conversation;
using AcpToApi.Streaming;

namespace AcpToApi.Backends;

/// <summary>The one abstraction: a backend only streams. Non-streaming answers fold the same events.</summary>
internal interface IChatBackend
{
    /// <summary>
    /// Streams the answer. <paramref name="request"/>.Model is the backend's own model name (prefix removed).
    /// Failures are <see cref="ChatBackendException"/>; cancellation must stop all upstream work.
    /// </summary>
    IAsyncEnumerable<ChatEvent> StreamAsync(ChatRequest request, CancellationToken cancellationToken);
}
