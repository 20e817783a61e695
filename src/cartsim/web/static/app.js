"use strict";
// The explorer page: the form becomes a question (JSON), the answer becomes words, tables and figures.

const MODULES = ["physiology", "lymphodepletion", "neutrophils", "cart_kinetics", "anti_car_immunity", "mrna_cart",
  "bcell_lineage", "plasma_cells", "cytokines", "ocrelizumab_pkpd", "ofatumumab_pkpd", "rituximab_pkpd",
  "ms_activity", "infections"];

function el(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text) node.textContent = text;
  return node;
}

function question(form) {
  const q = {situation: {}, options: {}};
  for (const input of form.querySelectorAll("[name]")) {
    const path = input.name.split(".");
    let value;
    if (input.type === "checkbox") value = input.checked;
    else if (input.type === "number") {
      if (input.value.trim() === "") { if (input.name === "options.washout_days") value = null; else value = input.value; }
      else value = Number(input.value);
      if (typeof value === "number" && Number.isNaN(value)) value = input.value;
    } else value = input.value;
    if (path.length === 2) q[path[0]][path[1]] = value; else q[path[0]] = value;
  }
  return q;
}

function clearErrors(form) {
  document.getElementById("errors").replaceChildren();
  for (const input of form.querySelectorAll("[aria-invalid]")) {
    input.removeAttribute("aria-invalid");
    input.removeAttribute("aria-errormessage");
    if (input.dataset.describedby !== undefined) {
      if (input.dataset.describedby) input.setAttribute("aria-describedby", input.dataset.describedby);
      else input.removeAttribute("aria-describedby");
      delete input.dataset.describedby;
    }
  }
}

function showErrors(form, errors) {
  const box = document.getElementById("errors");
  const list = el("ul");
  errors.forEach((e, i) => {
    const item = el("li", {id: `error-${i}`}, e.message || `${e.field}: ${e.allowed}`);
    list.append(item);
    const input = e.field ? form.querySelector(`[name="${CSS.escape(e.field)}"]`) : null;
    if (input) {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-errormessage", `error-${i}`);
      input.dataset.describedby = input.getAttribute("aria-describedby") || "";
      input.setAttribute("aria-describedby", `${input.dataset.describedby} error-${i}`.trim());
    }
  });
  box.replaceChildren(el("p", {}, "Please check these values:"), list);
  const first = form.querySelector("[aria-invalid]");
  (first || box).focus();
}

function number(v) {
  if (v === null || v === undefined) return "—";
  if (typeof v === "string") return v;
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toPrecision(2);
}

function hypothesisTable(answer) {
  const rows = answer.summary.filter(r => !String(r.endpoint).includes("_year_"));
  const hypotheses = answer.hypotheses.map(h => h.name);
  const box = el("div");
  box.append(el("p", {}, "Nobody knows yet whether the immune system stays reset after CAR-T. The model answers three ways."));
  const ways = box.appendChild(el("ul"));
  for (const h of answer.hypotheses) ways.append(el("li", {}, h.words));
  box.append(el("p", {}, "Where the answers differ, the result depends on this open question."));
  for (const part of answer.sentences.contrast_parts) {
    if (part.decides.length) {
      box.append(el("p", {}, `With ${part.arm}, the open question decides:`));
      const list = box.appendChild(el("ul"));
      for (const item of part.decides) list.append(el("li", {}, item));
    }
    if (part.alike.length) {
      box.append(el("p", {}, `With ${part.arm}, all three answers are about the same for:`));
      const list = box.appendChild(el("ul", {class: "inline"}));
      for (const item of part.alike) list.append(el("li", {}, item));
    }
  }
  for (const arm of answer.arms) {
    const table = el("table");
    table.append(el("caption", {}, `${arm}: each answer to the open question side by side (value and 95% interval)`));
    const head = el("tr");
    head.append(el("th", {scope: "col"}, "result"), ...hypotheses.map(h => el("th", {scope: "col"}, h)));
    const thead = el("thead");
    thead.append(head);
    table.append(thead);
    const body = table.appendChild(el("tbody"));
    const names = [...new Set(rows.filter(r => r.arm === arm).map(r => r.endpoint))];
    for (const name of names) {
      const tr = el("tr");
      const behind = answer.sources_by_endpoint[name];
      tr.append(el("th", {scope: "row"}, behind ? behind.words : name.replaceAll("_", " ")));
      for (const h of hypotheses) {
        const r = rows.find(x => x.arm === arm && x.endpoint === name && x.hypothesis === h);
        tr.append(el("td", {}, r ? `${number(r.value)} (${number(r.low)} to ${number(r.high)})` : "—"));
      }
      body.append(tr);
    }
    const wrap = el("div", {class: "table-wrap", tabindex: "0", role: "region", "aria-label": `${arm} by hypothesis`});
    wrap.append(table);
    box.append(wrap);
  }
  return box;
}

function drawFigures(answer) {
  const box = document.getElementById("figures");
  box.replaceChildren();
  for (const [name, figure] of Object.entries(answer.figures)) {
    const title = figure.layout.title.text;
    const holder = el("figure", {class: "figure", "aria-labelledby": `caption-${name}`});
    const plot = el("div", {id: `figure-${name}`, class: "plot"});
    holder.append(plot, el("figcaption", {id: `caption-${name}`}, title));
    box.append(holder);
    if (window.Plotly) window.Plotly.newPlot(plot, figure.data, figure.layout, {responsive: true, displaylogo: false});
  }
}

function modellerView(answer) {
  document.getElementById("scenario").textContent = answer.scenario_toml;
  const blob = new Blob([answer.scenario_toml], {type: "application/toml"});
  document.getElementById("dl-scenario").href = URL.createObjectURL(blob);
  for (const [id, name] of [["dl-summary-csv", "summary.csv"], ["dl-summary-parquet", "summary.parquet"], ["dl-patients", "patients.csv"]]) {
    const link = document.getElementById(id);
    link.href = `/api/results/${answer.key}/${name}`;
    link.setAttribute("download", name);
  }
  const modules = document.getElementById("modules");
  modules.replaceChildren(...MODULES.flatMap((m, i) => [i ? ", " : "", el("a", {href: `/equations#${m}`}, m)]));
  const sources = document.getElementById("sources");
  sources.replaceChildren(...answer.sources.map(s => {
    const li = el("li", {id: `source-${s.key}`}, s.citation);
    li.append(el("br"), el("small", {}, "used for: " + s.used_for.join(", ")));
    return li;
  }));
}

function armParagraph(arm, answer) {
  // Each sentence is followed by a link to what stands behind its number.
  const p = el("p");
  p.append(el("strong", {}, `With ${arm.arm}:`));
  for (const s of arm.sentences) {
    p.append(" " + s.text);
    const behind = answer.sources_by_endpoint[s.endpoint];
    if (behind) p.append(el("a", {href: `#behind-${s.endpoint}`, class: "cite", "aria-label": `where the number on ${behind.words} comes from`}, "[sources]"));
  }
  return p;
}

function observations(title, list) {
  const box = el("div");
  box.append(el("p", {}, title));
  const ul = box.appendChild(el("ul"));
  for (const o of list) ul.append(el("li", {}, `${o.source} (${o.population}; observed ${o.observed})`));
  return box;
}

function behindList(answer) {
  // One closed entry per result; a [sources] link opens its entry.
  const citations = Object.fromEntries(answer.sources.map(s => [s.key, s.citation]));
  const box = el("div");
  for (const [name, b] of Object.entries(answer.sources_by_endpoint)) {
    if (name.includes("_year_")) continue;
    const entry = el("details", {id: `behind-${name}`});
    entry.append(el("summary", {}, b.words));
    entry.append(el("p", {}, "Set by values from:"));
    const ul = entry.appendChild(el("ul"));
    for (const key of b.keys) ul.append(el("li", {}, citations[key] || key));
    if (b.checked_against.length) entry.append(observations("Checked against these published results:", b.checked_against));
    if (b.known_gaps.length) entry.append(observations("Known gaps: the model misses these published results:", b.known_gaps));
    box.append(entry);
  }
  return box;
}

function openBehind() {
  const target = location.hash.startsWith("#behind-") ? document.getElementById(location.hash.slice(1)) : null;
  if (target && target.tagName === "DETAILS") target.open = true;
}
window.addEventListener("hashchange", openBehind);

function render(answer) {
  document.getElementById("washout").textContent = answer.washout;
  const sentences = document.getElementById("sentences");
  const detail = answer.sentences.detail[answer.default_hypothesis];
  sentences.replaceChildren(...detail.arms.map(a => armParagraph(a, answer)), ...detail.comparisons.map(t => el("p", {}, t)),
    el("p", {}, `(These sentences assume a partial reset, the model's middle answer; see below for the others.) ${answer.sentences.caveat}`));
  document.getElementById("behind").replaceChildren(behindList(answer));
  document.getElementById("hypotheses").replaceChildren(hypothesisTable(answer));
  if (answer.failed_patients) {
    sentences.prepend(el("p", {class: "warning"}, `${answer.failed_patients} virtual patient results could not be computed and are left out.`));
  }
  modellerView(answer);
  document.getElementById("result").hidden = false;
  drawFigures(answer);
}

async function ask(event) {
  event.preventDefault();
  const form = event.target;
  const section = document.getElementById("answer");
  const status = document.getElementById("status");
  const button = document.getElementById("submit");
  clearErrors(form);
  document.getElementById("result").hidden = true;  // never show an earlier answer beside a new question
  button.disabled = true;
  section.setAttribute("aria-busy", "true");
  status.textContent = "Running the virtual patients… this takes a few seconds.";
  let response, body;
  try {
    response = await fetch("/api/answer", {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(question(form))});
    body = await response.json();
  } catch (error) {
    status.textContent = "The explorer could not be reached. Is cartsim serve still running?";
    button.disabled = false;
    section.setAttribute("aria-busy", "false");
    return;
  }
  try {
    if (response.status === 422) {
      showErrors(form, body.errors);
      status.textContent = "The answer could not be computed: please check the values above.";
    } else if (response.status === 503) {
      const wait = response.headers.get("Retry-After") || "a few";
      status.textContent = `The explorer is busy. Please try again in ${wait} seconds.`;
    } else if (!response.ok) {
      status.textContent = `Something went wrong (${response.status}).`;
    } else {
      status.textContent = "Answer ready.";
      render(body);
    }
  } catch (error) {
    status.textContent = `The answer could not be shown: ${error}.`;
  } finally {
    button.disabled = false;
    section.setAttribute("aria-busy", "false");
  }
}

function tabs() {
  const list = [...document.querySelectorAll('[role="tab"]')];
  const select = tab => {
    for (const t of list) {
      const on = t === tab;
      t.setAttribute("aria-selected", String(on));
      t.tabIndex = on ? 0 : -1;
      document.getElementById(t.getAttribute("aria-controls")).hidden = !on;
    }
    tab.focus();
    if (tab.id === "tab-people" && window.Plotly) document.querySelectorAll(".plot").forEach(p => window.Plotly.Plots.resize(p));
  };
  list.forEach((tab, i) => {
    tab.addEventListener("click", () => select(tab));
    tab.addEventListener("keydown", e => {
      if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
        e.preventDefault();
        select(list[(i + (e.key === "ArrowRight" ? 1 : list.length - 1)) % list.length]);
      }
    });
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("question").addEventListener("submit", ask);
  tabs();
});
