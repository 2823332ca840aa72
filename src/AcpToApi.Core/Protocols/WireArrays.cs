using AcpToApi.Backends;

namespace AcpToApi.Protocols;

/// <summary>
/// The serializer fills a list of objects with <c>null</c> where the body has <c>[null]</c>; a reader checks its lists
/// here first, so such a body is a 400 naming the element instead of a crash further on.
/// </summary>
internal static class WireArrays
{
    /// <param name="name">The element's name in the client's protocol, from its index (<c>messages[3]</c>, <c>messages.3</c>).</param>
    /// <param name="expected">What belongs there (<c>an object</c>, <c>a string</c>).</param>
    public static void RejectNulls<T>(IReadOnlyList<T?>? items, Func<int, string> name, string expected = "an object")
    {
        for (var i = 0; i < (items?.Count ?? 0); i++)
        {
            if (items![i] is null)
            {
                var param = name(i);
                throw new ChatBackendException(ChatErrorKind.BadRequest, $"{param} must be {expected}, not null.") { Param = param, Code = "invalid_type" };
            }
        }
    }
}
