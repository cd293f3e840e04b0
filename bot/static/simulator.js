// The simulator: every action becomes a signed webhook (built server-side); answers are read back
// from what the fake Messaging API received for the chosen test user.
const $ = (id) => document.getElementById(id);
let shown = 0;

function user() { return $("user").value; }

async function act(action) {
  await fetch("/simulator/send", {
    method: "POST", headers: {"Content-Type": "application/json"},
    body: JSON.stringify({user: user(), language: $("language").value, ...action}),
  });
}

function bubble(text, who) {
  const div = document.createElement("div");
  div.className = "bubble " + who;
  div.textContent = text;
  $("chat").append(div);
  $("chat").scrollTop = $("chat").scrollHeight;
}

function runAction(action) {
  if (action.type === "postback") {
    if (action.displayText) bubble(action.displayText, "me");
    act({kind: "postback", data: action.data});
  } else if (action.type === "message") {
    bubble(action.text, "me");
    act({kind: "text", text: action.text});
  } else if (action.type === "location") {
    $("places").showModal();
  } else if (action.type === "uri") {
    window.open(action.uri, "_blank", "noopener");
  }
}

function flexNode(node) {
  const el = document.createElement("div");
  if (node.type === "text") { el.textContent = node.text; if (node.color) el.className = "note"; }
  else if (node.type === "button") {
    const b = document.createElement("button");
    b.textContent = node.action.label;
    b.onclick = () => runAction(node.action);
    return b;
  } else if (node.type === "box") { (node.contents || []).forEach((c) => el.append(flexNode(c))); }
  else if (node.type === "bubble") { ["header", "hero", "body", "footer"].forEach((p) => node[p] && el.append(flexNode(node[p]))); }
  else if (node.type === "carousel") { (node.contents || []).forEach((c) => el.append(flexNode(c))); }
  return el;
}

function render(message) {
  if (message.type === "text") bubble(message.text, "bot");
  else if (message.type === "flex") {
    const card = flexNode(message.contents);
    card.classList.add("flex");
    $("chat").append(card);
  } else if (message.type === "location") bubble("📍 " + message.title + "\n" + message.address, "bot");
  else bubble("[" + message.type + "]", "bot");
  const quick = $("quick");
  quick.replaceChildren();
  ((message.quickReply || {}).items || []).forEach((item) => {
    const b = document.createElement("button");
    b.textContent = item.action.label;
    b.onclick = () => runAction(item.action);
    quick.append(b);
  });
  $("chat").scrollTop = $("chat").scrollHeight;
}

async function poll() {
  try {
    const feed = await (await fetch("/simulator/feed?user=" + encodeURIComponent(user()))).json();
    feed.messages.slice(shown).forEach(render);
    shown = feed.messages.length;
    $("calls").replaceChildren(...feed.calls.reverse().map((c) => {
      const li = document.createElement("li");
      li.textContent = new Date(c.at * 1000).toLocaleTimeString() + " " + c.method + " " + c.path +
        (c.retry_key ? " retry-key=" + c.retry_key.slice(0, 8) : "");
      return li;
    }));
  } finally { setTimeout(poll, 700); }
}

$("composer").onsubmit = (e) => {
  e.preventDefault();
  const text = $("text").value.trim();
  if (!text) return;
  bubble(text, "me");
  $("text").value = "";
  act({kind: "text", text});
};
$("follow").onclick = () => act({kind: "follow"});
$("unfollow").onclick = () => act({kind: "unfollow"});
$("sticker").onclick = () => { bubble("☺ (sticker)", "me"); act({kind: "sticker"}); };
$("location").onclick = () => $("places").showModal();
$("image").onchange = () => {
  const file = $("image").files[0];
  if (!file) return;
  const reader = new FileReader();
  reader.onload = () => {
    bubble("🖼 " + file.name, "me");
    act({kind: "image", data: reader.result.split(",")[1]});
    $("image").value = "";
  };
  reader.readAsDataURL(file);
};
$("places").onclose = () => {
  let value = $("places").returnValue;
  if (value === "typed") value = $("coords").value + ",";
  if (!value) return;
  const [lat, lon, title] = value.split(",");
  if (isNaN(parseFloat(lat)) || isNaN(parseFloat(lon))) return;
  bubble("📍 " + (title || lat + ", " + lon), "me");
  act({kind: "location", latitude: lat, longitude: lon, title: title || ""});
};
$("user").onchange = () => {
  $("language").value = $("user").selectedOptions[0].dataset.lang;
  $("chat").replaceChildren();
  $("quick").replaceChildren();
  shown = 0;
};
$("language").value = $("user").selectedOptions[0].dataset.lang;
poll();
