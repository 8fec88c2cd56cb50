using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CustomerAdvocateBot.Common.Cards;

/// <summary>Small factories for Adaptive Card 1.5 elements, so card builders read as the card they make.</summary>
public static class AdaptiveCard
{
    public const string Version = "1.5";
    public const string Schema = "http://adaptivecards.io/schemas/adaptive-card.json";

    /// <summary>Teams' limit for a card payload is about 28 KB.</summary>
    public const int MaxBytes = 28 * 1024;

    /// <remarks>
    /// No <c>msteams.width = Full</c>: the Adaptive Cards 1.5 schema does not allow the <c>msteams</c> property, and a card
    /// that validates strictly renders the same on desktop, web, mobile and the Agents Playground.
    /// </remarks>
    public static JsonObject Create(IEnumerable<JsonNode?> body, IEnumerable<JsonNode?>? actions = null, JsonObject? refresh = null)
    {
        var card = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = Schema,
            ["version"] = Version,
        };
        if (refresh is not null)
        {
            card["refresh"] = refresh;
        }

        card["body"] = new JsonArray(body.Where(n => n is not null).ToArray());
        var actionList = actions?.Where(a => a is not null).ToArray() ?? [];
        if (actionList.Length > 0)
        {
            card["actions"] = new JsonArray(actionList);
        }

        return card;
    }

    /// <summary>A text block for the bot's own words (markdown allowed).</summary>
    public static JsonObject TextBlock(string text, string? weight = null, string? size = null, string? color = null, bool subtle = false, bool wrap = true, int? maxLines = null, bool separator = false, string? spacing = null)
    {
        var block = new JsonObject { ["type"] = "TextBlock", ["text"] = text, ["wrap"] = wrap };
        Set(block, "weight", weight);
        Set(block, "size", size);
        Set(block, "color", color);
        Set(block, "spacing", spacing);
        if (subtle)
        {
            block["isSubtle"] = true;
        }

        if (maxLines is not null)
        {
            block["maxLines"] = maxLines;
        }

        if (separator)
        {
            block["separator"] = true;
        }

        return block;
    }

    /// <summary>A text block for what people typed: shown literally, never as links, mentions or formatting.</summary>
    /// <summary>
    /// A list as one text block per item, "• item" (or "1. item"), not a markdown list: the Adaptive Cards JS renderer
    /// (Outlook, the Agents Playground, this repo's tests) gives a markdown list 100% width on top of its indent, so the last
    /// words of every long item were cut off at the card's edge; and a block per item needs no newline rules (Teams keeps a
    /// single newline only inside a markdown list).
    /// </summary>
    /// <param name="items">Markdown-safe lines (already escaped where they carry user text).</param>
    public static JsonObject Lines(IEnumerable<string> items, bool numbered = false, string? size = null) =>
        Container(items.Select((item, i) => (JsonNode?)TextBlock((numbered ? $"{i + 1}\\. " : "• ") + item, size: size, spacing: i == 0 ? null : "None")));

    public static JsonObject UserText(string text, string? weight = null, string? size = null, bool subtle = false, int? maxLines = null) =>
        TextBlock(CardText.Escape(text), weight, size, subtle: subtle, maxLines: maxLines);

    public static JsonObject FactSet(IEnumerable<(string Title, string Value)> facts) => new()
    {
        ["type"] = "FactSet",
        ["facts"] = new JsonArray(facts.Select(f => (JsonNode)new JsonObject { ["title"] = f.Title, ["value"] = f.Value }).ToArray()),
    };

    public static JsonObject Container(IEnumerable<JsonNode?> items, string? style = null, bool separator = false, string? spacing = null, string? id = null, bool visible = true)
    {
        var container = new JsonObject { ["type"] = "Container", ["items"] = new JsonArray(items.Where(i => i is not null).ToArray()) };
        Set(container, "style", style);
        Set(container, "spacing", spacing);
        Set(container, "id", id);
        if (separator)
        {
            container["separator"] = true;
        }

        if (!visible)
        {
            container["isVisible"] = false;
        }

        return container;
    }

    /// <summary>A row of columns; <paramref name="spacing"/> and <paramref name="separator"/> as for any element.</summary>
    public static JsonObject ColumnSet(IEnumerable<JsonNode?> columns, string? spacing = null, bool separator = false)
    {
        var set = new JsonObject { ["type"] = "ColumnSet", ["columns"] = new JsonArray(columns.Where(c => c is not null).ToArray()) };
        Set(set, "spacing", spacing);
        if (separator)
        {
            set["separator"] = true;
        }

        return set;
    }

    /// <param name="width">"stretch", "auto" or a weight.</param>
    /// <param name="selectAction">What pressing anywhere in the column does (not a show-card).</param>
    public static JsonObject Column(IEnumerable<JsonNode?> items, string width = "stretch", JsonObject? selectAction = null, string? verticalContentAlignment = null)
    {
        var column = new JsonObject { ["type"] = "Column", ["width"] = width, ["items"] = new JsonArray(items.Where(i => i is not null).ToArray()) };
        Set(column, "verticalContentAlignment", verticalContentAlignment);
        if (selectAction is not null)
        {
            column["selectAction"] = selectAction;
        }

        return column;
    }

    /// <summary>Shows or hides elements by id, in the client, with no call to the bot.</summary>
    public static JsonObject ToggleVisibility(string title, IEnumerable<string> targetIds) => new()
    {
        ["type"] = "Action.ToggleVisibility",
        ["title"] = title,
        ["targetElements"] = new JsonArray(targetIds.Select(id => (JsonNode)JsonValue.Create(id)!).ToArray()),
    };

    /// <summary>A button that opens a small card inline (its inputs stay hidden until then).</summary>
    public static JsonObject ShowCard(string title, JsonObject card) => new()
    {
        ["type"] = "Action.ShowCard",
        ["title"] = title,
        ["card"] = card,
    };

    public static JsonObject ActionSet(params JsonNode?[] actions) => new()
    {
        ["type"] = "ActionSet",
        ["actions"] = new JsonArray(actions.Where(a => a is not null).ToArray()),
    };

    /// <summary>A Universal Action button: Teams sends an <c>adaptiveCard/action</c> invoke with this verb and data.</summary>
    /// <param name="sendsInputs">Whether the card's inputs travel with the action (otherwise only <paramref name="data"/> does).</param>
    public static JsonObject Execute(string title, string verb, JsonObject? data = null, string? style = null, bool sendsInputs = false)
    {
        var action = new JsonObject { ["type"] = "Action.Execute", ["title"] = title, ["verb"] = verb, ["data"] = data ?? [] };
        Set(action, "style", style);
        if (!sendsInputs)
        {
            action["associatedInputs"] = "none";
        }

        return action;
    }

    public static JsonObject OpenUrl(string title, string url) => new()
    {
        ["type"] = "Action.OpenUrl",
        ["title"] = title,
        ["url"] = url,
    };

    /// <summary>Teams refreshes a card automatically for at most this many listed users.</summary>
    public const int MaxRefreshUsers = 60;

    /// <summary>
    /// Auto-refresh for the listed users: Teams asks the bot for each one's own view of the card with this verb. Above
    /// <see cref="MaxRefreshUsers"/> people the list is empty, which switches automatic refresh off (a partial list would
    /// give some people a personal view and not others); everyone still gets their own view by pressing a button.
    /// </summary>
    public static JsonObject Refresh(string verb, JsonObject data, IEnumerable<string> userIds)
    {
        var ids = userIds.Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count > MaxRefreshUsers)
        {
            ids = [];
        }

        return new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = data },
            ["userIds"] = new JsonArray(ids.Select(id => (JsonNode)JsonValue.Create(id)!).ToArray()),
        };
    }

    /// <summary>The card's size as JSON (default escaping, as <c>ToJsonString</c> writes it), counted without keeping the text.</summary>
    public static int SizeInBytes(JsonObject card)
    {
        var counter = new ByteCounter();
        try
        {
            using (var writer = new Utf8JsonWriter(counter))
            {
                card.WriteTo(writer);
            }

            return counter.Count;
        }
        finally
        {
            counter.Return();
        }
    }

    /// <summary>
    /// Builds the card with each budget in turn, most generous first, and returns the first that fits Teams' card limit
    /// (<see cref="MaxBytes"/>); the last, smallest budget's card when none does. The one shrinking loop every card uses.
    /// </summary>
    public static JsonObject FirstThatFits<TBudget>(IReadOnlyList<TBudget> budgets, Func<TBudget, JsonObject> build)
    {
        JsonObject card = null!;
        foreach (var budget in budgets)
        {
            card = build(budget);
            if (SizeInBytes(card) <= MaxBytes)
            {
                break;
            }
        }

        return card;
    }

    private static void Set(JsonObject target, string name, string? value)
    {
        if (value is not null)
        {
            target[name] = value;
        }
    }

    /// <summary>
    /// Counts what a writer writes into one pooled scratch buffer, handed out again and again: every card is measured
    /// before it is sent (the turn's hottest serialization), and only its length is wanted, not a 10–28 KB string.
    /// </summary>
    private sealed class ByteCounter : IBufferWriter<byte>
    {
        private byte[] _scratch = ArrayPool<byte>.Shared.Rent(4096);

        public int Count { get; private set; }

        public void Advance(int count) => Count += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => Scratch(sizeHint);

        public Span<byte> GetSpan(int sizeHint = 0) => Scratch(sizeHint);

        public void Return() => ArrayPool<byte>.Shared.Return(_scratch);

        private byte[] Scratch(int sizeHint)
        {
            if (sizeHint > _scratch.Length)
            {
                ArrayPool<byte>.Shared.Return(_scratch);
                _scratch = ArrayPool<byte>.Shared.Rent(sizeHint);
            }

            return _scratch;
        }
    }
}
