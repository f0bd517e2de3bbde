// script.csx of the SmartDialog connector, generated from its declaration by `connector build`:
// change the declaration (its transforms), not this file.
using System;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

public class Script : ScriptBase
{
    public override async Task<HttpResponseMessage> ExecuteAsync()
    {
        // Every request carries the platform's correlation id, so the service's logs match the flow run.
        SetHeader(Context.Request, "x-correlation-id", Context.CorrelationId);
        HttpResponseMessage response = await Context.SendAsync(Context.Request, CancellationToken).ConfigureAwait(false);
        switch (Context.OperationId)
        {
            case "NewMessage":
                await SetLocationNewMessage(response).ConfigureAwait(false);
                break;
        }
        return response;
    }

    static void SetHeader(HttpRequestMessage request, string name, string value)
    {
        request.Headers.Remove(name);
        if (!string.IsNullOrEmpty(value))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
    }

    static string Text(JToken token)
    {
        if (token == null || token.Type == JTokenType.Null) return null;
        return token.Type == JTokenType.String ? (string)token : token.ToString(Newtonsoft.Json.Formatting.None);
    }

    // NewMessage registers a webhook and answers with the subscription id in its body; the platform
    // deletes the subscription through the answer's Location header, so point it at DeleteTrigger
    // (/pipelines/{Pipeline-Id}/actions/{Action-Id}) on the same service.
    async Task SetLocationNewMessage(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode || response.Content == null) return;
        Match route = Regex.Match(Context.Request.RequestUri.AbsolutePath, "^/api-integrations/v1/service/(?<p0>[^/]+)/pipelines/actions/?$");
        if (!route.Success)
        {
            Context.Logger.LogWarning("Location not set: the request path {Path} does not match the operation's route", Context.Request.RequestUri.AbsolutePath);
            return;
        }
        string body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        JToken answer;
        try
        {
            answer = JsonConvert.DeserializeObject<JToken>(body, new JsonSerializerSettings { DateParseHandling = DateParseHandling.None });
        }
        catch (JsonException)
        {
            Context.Logger.LogWarning("Location not set: the answer of {Operation} is not JSON", Context.OperationId);
            return;
        }
        JToken subscription = answer;
        subscription = subscription is JObject ? ((JObject)subscription)["id"] : null;
        string arg0 = Uri.UnescapeDataString(route.Groups["p0"].Value);
        string arg1 = Text(subscription);
        if (string.IsNullOrEmpty(arg0) || string.IsNullOrEmpty(arg1))
        {
            Context.Logger.LogWarning("Location not set: the path of DeleteTrigger needs values that the request and answer of {Operation} do not give", Context.OperationId);
            return;
        }
        string path = "/api-integrations/v1/pipelines/" + Uri.EscapeDataString(arg0) + "/actions/" + Uri.EscapeDataString(arg1);
        response.Headers.Location = new Uri(Context.Request.RequestUri, path);
    }
}
