using System.Net.Http.Headers;
using System.Text.Json;

namespace OrleansWg.TestStack;

public static class SessionRequest
{
    /// <summary>A request on a session, authorized by the token from its connect reply.</summary>
    public static HttpRequestMessage For(HttpMethod method, JsonElement connectReply) =>
        new(method, $"/v1/sessions/{connectReply.GetProperty("sessionId").GetString()}")
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", connectReply.GetProperty("sessionToken").GetString()) },
        };
}
