using AcpToApi.Backends;

namespace AcpToApi.Streaming;

/// <summary>
/// Translates one parsed upstream frame, turning a frame of the wrong shape (a missing field, a string where a
/// number belongs) into the upstream's failure (502) rather than an internal error of the gateway.
/// </summary>
internal static class UpstreamFrame
{
    public static void Translate(Action translate, string upstreamName, string raw)
    {
        try
        {
            translate();
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new ChatBackendException(ChatErrorKind.UpstreamError,
                $"{upstreamName} sent a stream frame of the wrong shape ({e.Message}): {(raw.Length > 200 ? raw[..200] + "…" : raw)}", e);
        }
    }
}
