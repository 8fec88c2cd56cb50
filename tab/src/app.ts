// The decision history tab (docs/tab.md). One script for the content page (team, chat, meeting and personal tabs) and
// the configuration page. Inside Teams it signs in with Teams SSO and follows the Teams theme; opened directly in a
// browser (./run.sh) it reads the scope from the URL and the server uses its local development identity.
import { app, authentication, pages } from "@microsoft/teams-js";
import { setTheme } from "@fluentui/web-components/theme/set-theme.js";
import { teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme } from "@fluentui/tokens";
import "@fluentui/web-components/badge.js";
import "@fluentui/web-components/button.js";
import "@fluentui/web-components/checkbox.js";
import "@fluentui/web-components/spinner.js";
import "@fluentui/web-components/text-input.js";

const ConfigurableEntityId = "decision-history";
const PageSize = 50;

interface Row {
  id: string;
  createdAt: string;
  title: string;
  verdict: string | null;
  verdictTitle: string;
  flags: number;
  owner: string | null;
  reviewDate: string | null;
  reviewOverdue: boolean;
  outcome: string | null;
  outcomeAssessment: string | null;
  raisedBy: string;
  status: string;
}

interface Page {
  decisions: Row[];
  continuation: string | null;
  scanned: number;
  unknownDriver: number;
  unknownMoment: number;
}

interface Detail {
  decision: Row;
  prompts: { promptId: string; title: string; question: string; answers: { by: string; at: string; choices: string[]; text: string | null }[] }[];
  anonymousConcerns: { text: string; at: string }[];
  flags: { promptId: string; severity: string; reason: string; nextStep: string | null }[];
  nextSteps: string[];
  outcomeBy: string | null;
  outcomeAt: string | null;
  customerVoice: string | null;
}

type Host = { inTeams: boolean; scope: string | null; open: string | null };

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

/** Inside Teams (an iframe, or a mobile client's web view), or opened directly in a browser. */
function isHosted(): boolean {
  return window.parent !== window || "nativeInterface" in window || window.opener != null;
}

function applyTheme(theme: string | undefined) {
  const name = theme === "dark" ? "dark" : theme === "contrast" ? "contrast" : "light";
  setTheme(name === "dark" ? teamsDarkTheme : name === "contrast" ? teamsHighContrastTheme : teamsLightTheme);
  document.documentElement.dataset.theme = name;
}

async function connect(): Promise<Host> {
  const params = new URLSearchParams(location.search);
  if (!isHosted()) {
    applyTheme(params.get("theme") ?? (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light"));
    return { inTeams: false, scope: params.get("scope"), open: params.get("open") };
  }

  await app.initialize();
  const context = await app.getContext();
  applyTheme(context.app.theme);
  app.registerOnThemeChangeHandler(applyTheme);
  if (document.body.dataset.page === "config") {
    return { inTeams: true, scope: null, open: null };
  }

  // A team's channels share one log (the team); a group chat or meeting chat is its own.
  const scope = context.page.id !== ConfigurableEntityId && !context.team && !context.chat
    ? "mine"
    : context.team?.internalId
      ? "team:" + context.team.internalId
      : context.chat?.id
        ? "chat:" + context.chat.id
        : null;
  app.notifySuccess();
  return { inTeams: true, scope, open: context.page.subPageId || null };
}

async function authorization(host: Host): Promise<Record<string, string>> {
  return host.inTeams ? { Authorization: "Bearer " + (await authentication.getAuthToken()) } : {};
}

function filterParams(): URLSearchParams {
  const params = new URLSearchParams();
  // Fluent's text input has no value until it is first typed in, so undefined reads as empty.
  const text = (id: string) => String(($(id) as HTMLInputElement).value ?? "").trim();
  const add = (name: string, value: string) => value && params.set(name, value);
  add("q", text("q"));
  add("verdict", text("verdict"));
  add("driver", text("driver"));
  add("moment", text("moment"));
  add("owner", text("owner"));
  add("from", text("from"));
  add("to", text("to"));
  if (($("overdue") as HTMLInputElement).checked === true) params.set("overdue", "1");
  return params;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function badge(text: string, color: string, appearance = "tint"): HTMLElement {
  const node = document.createElement("fluent-badge");
  node.setAttribute("color", color);
  node.setAttribute("appearance", appearance);
  node.setAttribute("shape", "rounded");
  node.textContent = text;
  return node;
}

function verdictColor(verdict: string | null): string {
  return verdict === "CustomerSafe" ? "success" : verdict === "NeedsWork" ? "warning" : verdict === "CustomerRisk" ? "danger" : "informative";
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const day = (iso: string) => dateFormat.format(new Date(iso.length === 10 ? iso + "T00:00:00" : iso));

function rowView(row: Row, open: (id: string) => void): HTMLElement {
  const item = el("article", "row");
  item.setAttribute("role", "listitem");
  item.dataset.id = row.id;
  const head = el("div", "row-head");
  head.append(el("span", "row-id", row.id), el("span", "row-date", day(row.createdAt)));
  const title = el("button", "row-title", row.title);
  title.type = "button";
  title.addEventListener("click", () => open(row.id));
  const facts = el("div", "row-facts");
  facts.append(badge(row.verdictTitle, verdictColor(row.verdict), "filled"));
  if (row.flags > 0) facts.append(badge(`${row.flags} flag${row.flags === 1 ? "" : "s"}`, "severe"));
  if (row.owner) facts.append(el("span", "fact", "Owner: " + row.owner));
  if (row.reviewDate) facts.append(el("span", row.reviewOverdue ? "fact overdue" : "fact", `Review ${day(row.reviewDate)}${row.reviewOverdue ? " (overdue)" : ""}`));
  if (row.outcome) facts.append(el("span", "fact", `Outcome: ${row.outcomeAssessment ? row.outcomeAssessment + " — " : ""}${row.outcome}`));
  item.append(head, title, facts);
  return item;
}

function section(title: string, ...children: Node[]): HTMLElement {
  const node = el("section", "detail-section");
  node.append(el("h3", undefined, title), ...children);
  return node;
}

function detailView(detail: Detail): HTMLElement {
  const d = detail.decision;
  const root = el("div");
  root.append(el("h2", "detail-title", `${d.id} · ${d.title}`));
  const meta = el("div", "row-facts");
  meta.append(badge(d.verdictTitle, verdictColor(d.verdict), "filled"), el("span", "fact", `Raised by ${d.raisedBy}, ${dateTimeFormat.format(new Date(d.createdAt))}`));
  if (d.owner) meta.append(el("span", "fact", "Owner: " + d.owner));
  if (d.reviewDate) meta.append(el("span", d.reviewOverdue ? "fact overdue" : "fact", "Review " + day(d.reviewDate) + (d.reviewOverdue ? " (overdue)" : "")));
  root.append(meta);

  if (detail.flags.length > 0) {
    const list = el("ul");
    for (const f of detail.flags) list.append(el("li", undefined, `${f.severity === "Risk" ? "Risk" : "Needs work"}: ${f.reason}`));
    root.append(section("Flags", list));
  }
  if (detail.nextSteps.length > 0) {
    const list = el("ul");
    for (const step of detail.nextSteps) list.append(el("li", undefined, step));
    root.append(section("Next steps", list));
  }

  const answers = el("div", "answers");
  for (const prompt of detail.prompts) {
    const block = el("div", "prompt");
    block.append(el("h4", undefined, prompt.title), el("p", "question", prompt.question));
    if (prompt.answers.length === 0) block.append(el("p", "muted", "No answer."));
    const list = el("ul");
    for (const a of prompt.answers) {
      const li = el("li");
      li.append(el("span", "who", `${a.by}, ${dateTimeFormat.format(new Date(a.at))}: `), document.createTextNode([a.choices.join(", "), a.text].filter(Boolean).join(" — ")));
      list.append(li);
    }
    block.append(list);
    answers.append(block);
  }
  root.append(section("Answers", answers));

  const concerns = el("ul");
  for (const c of detail.anonymousConcerns) concerns.append(el("li", undefined, `${c.text} (${dateTimeFormat.format(new Date(c.at))})`));
  root.append(section("Anonymous concerns", detail.anonymousConcerns.length ? concerns : el("p", "muted", "None.")));

  const outcome = d.outcome
    ? el("p", undefined, `${d.outcomeAssessment ? d.outcomeAssessment + ": " : ""}${d.outcome}${detail.outcomeBy ? ` (${detail.outcomeBy}${detail.outcomeAt ? ", " + day(detail.outcomeAt) : ""})` : ""}`)
    : el("p", "muted", "Not recorded yet.");
  root.append(section("Outcome", outcome));
  if (detail.customerVoice) root.append(section("The customer's view", el("p", undefined, detail.customerVoice)));
  return root;
}

function setStatus(text: string, busy = false) {
  const status = $("status");
  status.replaceChildren();
  if (busy) status.append(document.createElement("fluent-spinner"));
  status.append(document.createTextNode(text));
}

async function runContent(host: Host) {
  const scope = host.scope;
  if (!scope) {
    setStatus("Open this tab in a team, chat or meeting, or as your personal tab.");
    return;
  }

  const me = await fetch("/api/tab/me", { headers: await authorization(host) });
  if (me.ok) {
    const who = await me.json();
    if (who.localDevelopment) {
      const banner = $("local-banner");
      banner.textContent = `Local development identity: ${who.name} (tenant ${who.tenantId}). Not signed in; for local runs only.`;
      banner.hidden = false;
    }
  }
  $("heading").textContent = scope === "mine" ? "My decisions" : "Decisions";

  let continuation: string | null = null;
  let generation = 0;
  const list = $("list");

  const load = async (reset: boolean) => {
    const mine = ++generation;
    if (reset) {
      continuation = null;
      list.replaceChildren();
    }
    setStatus("Loading…", true);
    const params = filterParams();
    params.set("scope", scope);
    params.set("pageSize", String(PageSize));
    if (continuation) params.set("continuation", continuation);
    const response = await fetch("/api/tab/decisions?" + params, { headers: await authorization(host) });
    if (mine !== generation) return;
    if (!response.ok) {
      setStatus(response.status === 404 ? "Nothing to show here." : `Could not load decisions (${response.status}).`);
      $("more").hidden = true;
      return;
    }
    const page: Page = await response.json();
    for (const row of page.decisions) list.append(rowView(row, id => void openDecision(id)));
    continuation = page.continuation;
    $("more").hidden = !continuation;
    const shown = list.childElementCount;
    const unknown = [page.unknownDriver ? `${page.unknownDriver} with no driver recorded` : "", page.unknownMoment ? `${page.unknownMoment} with no moment of truth recorded` : ""].filter(Boolean).join("; ");
    setStatus(`${shown} decision${shown === 1 ? "" : "s"}${continuation ? " so far" : ""}${unknown ? ` (not counted: ${unknown})` : ""}`);
  };

  const openDecision = async (id: string) => {
    const response = await fetch(`/api/tab/decisions/${encodeURIComponent(id)}?scope=${encodeURIComponent(scope)}`, { headers: await authorization(host) });
    const body = $("detail-body");
    body.replaceChildren(response.ok ? detailView(await response.json()) : el("p", undefined, "Not found."));
    $("browse").hidden = true;
    $("detail").hidden = false;
    $("back").focus();
  };

  const exportCsv = async () => {
    const params = filterParams();
    params.set("scope", scope);
    const response = await fetch("/api/tab/decisions.csv?" + params, { headers: await authorization(host) });
    if (!response.ok) {
      setStatus(`Could not export (${response.status}).`);
      return;
    }
    // A link cannot carry the SSO token, so the file is fetched and handed to the browser as a download.
    const url = URL.createObjectURL(await response.blob());
    const link = el("a");
    link.href = url;
    link.download = response.headers.get("content-disposition")?.match(/filename="?([^";]+)"?/)?.[1] ?? "decisions.csv";
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  let debounce: number | undefined;
  const reload = () => {
    clearTimeout(debounce);
    debounce = window.setTimeout(() => void load(true), 250);
  };
  for (const id of ["q", "owner"]) $(id).addEventListener("input", reload);
  for (const id of ["verdict", "driver", "moment", "from", "to", "overdue"]) $(id).addEventListener("change", () => void load(true));
  $("filters").addEventListener("submit", event => event.preventDefault());
  $("more").addEventListener("click", () => void load(false));
  $("export").addEventListener("click", () => void exportCsv());
  $("back").addEventListener("click", () => {
    $("detail").hidden = true;
    $("browse").hidden = false;
  });

  // A deep link's subEntityId: a decision to open, or the digest's week ("week:2026-11-16:2026-11-22") as the date range.
  const week = host.open?.match(/^week:(\d{4}-\d{2}-\d{2}):(\d{4}-\d{2}-\d{2})$/);
  if (week) {
    ($("from") as HTMLInputElement).value = week[1];
    ($("to") as HTMLInputElement).value = week[2];
  }
  await load(true);
  if (host.open && !week) await openDecision(host.open);
}

async function runConfig(host: Host) {
  const status = $("status");
  if (!host.inTeams) {
    status.textContent = "This page configures the tab inside Teams.";
    return;
  }
  pages.config.registerOnSaveHandler(save => {
    const contentUrl = location.origin + "/tab/index.html";
    pages.config
      .setConfig({ entityId: ConfigurableEntityId, contentUrl, websiteUrl: contentUrl, suggestedDisplayName: "Decisions" })
      .then(() => save.notifySuccess(), error => save.notifyFailure(String(error)));
  });
  pages.config.setValidityState(true);
  app.notifySuccess();
  status.textContent = "Select Save to add the decision history of this team, chat or meeting.";
}

async function main() {
  try {
    const host = await connect();
    await (document.body.dataset.page === "config" ? runConfig(host) : runContent(host));
  } catch (error) {
    setStatus("The tab could not start: " + (error instanceof Error ? error.message : String(error)));
  }
}

void main();
