/// The session's two pages: plain HTML and CSS with a little script that refreshes from the
/// JSON feeds every second. Every value from a learner's world is set as text, never as
/// markup: error messages and log lines come from learners' code.
enum Pages {
    static let style = """
        body { font: 15px/1.4 system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #222; }
        h1 { font-size: 1.5em; margin-bottom: .2em; }
        .clock { color: #555; margin-bottom: 1em; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; padding: .35em .6em; border-bottom: 1px solid #ddd; vertical-align: top; }
        td.name { white-space: nowrap; }
        td.score { white-space: nowrap; font-weight: bold; font-variant-numeric: tabular-nums; }
        .step { display: inline-block; margin: 0 .3em .2em 0; padding: 0 .4em; border-radius: .3em; background: #eee; color: #777; }
        .step.passed { background: #d4f5d4; color: #135f13; }
        .zero { color: #a33; }
        .failure { color: #a33; font-weight: bold; }
        li.passed::marker { content: "✔ "; color: #135f13; }
        li.failed::marker, li.error::marker { content: "✘ "; color: #a33; }
        .message { color: #555; }
        button { margin-top: .5em; }
        code { background: #f4f4f4; padding: 0 .2em; }
        """

    /// What both pages' scripts share: building elements as text, and polling a feed each second.
    static let prelude = """
        function el(tag, cls, text) {
          const e = document.createElement(tag);
          if (cls) e.className = cls;
          if (text !== undefined) e.textContent = text;
          return e;
        }
        function poll(url, render) {
          const refresh = async () => {
            try {
              render(await (await fetch(url, { cache: "no-store" })).json());
            } catch (e) {
              document.getElementById("clock").textContent = "the session does not answer: " + e;
            }
          };
          refresh();
          setInterval(refresh, 1000);
          return refresh;
        }
        """

    /// The room's scoreboard.
    static let scoreboard = """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>labengine scoreboard</title><style>\(style)</style></head>
        <body>
        <h1 id="title">Scoreboard</h1>
        <div class="clock" id="clock">connecting…</div>
        <table>
          <thead><tr><th>#</th><th>Learner</th><th>Score</th><th>Last minutes</th><th>Steps</th></tr></thead>
          <tbody id="rows"></tbody>
        </table>
        <script>
        \(prelude)
        function clock(s) {
          const t = (n) => Math.floor(n / 60) + "m" + String(n % 60).padStart(2, "0") + "s";
          let text = "virtual time " + t(s.elapsed) + " of " + t(s.length) + " · speed " + s.speed + "×";
          if (s.paused) text += " · paused";
          if (s.over) text += " · the session is over";
          if (s.behind > 0) text += " · the clock fell " + s.behind + " s behind wall time";
          return text;
        }
        poll("/scoreboard.json", (s) => {
            document.getElementById("title").textContent = s.lab + ": " + s.title;
            document.getElementById("clock").textContent = clock(s);
            const rows = document.getElementById("rows");
            rows.replaceChildren();
            s.learners.forEach((l, i) => {
              const tr = el("tr");
              tr.dataset.learner = l.id;
              tr.append(el("td", "", String(i + 1)));
              const name = el("td", "name");
              const link = el("a", "", l.id);
              link.href = "/learners/" + encodeURIComponent(l.id);
              name.append(link);
              if (l.failure) name.append(el("div", "failure", l.failure));
              tr.append(name);
              tr.append(el("td", "score", l.score + " / " + l.maxScore));
              const recent = el("td");
              l.recent.forEach((m) => {
                recent.append(el("div", m.points === 0 ? "zero" : "",
                  "minute " + m.minute + ": +" + m.points + (m.points === 0 && m.detail ? " — " + m.detail : "")));
              });
              tr.append(recent);
              const steps = el("td");
              l.steps.forEach((st) => {
                const span = el("span", "step" + (st.passed ? " passed" : ""),
                  st.title + (st.passed ? " (" + Math.round(st.passedAt) + " s)" : ""));
                span.dataset.step = st.id;
                steps.append(span);
              });
              tr.append(steps);
              rows.append(tr);
            });
        });
        </script>
        </body>
        </html>
        """

    /// One learner's page: their checklist, the hint that fits, their functions.
    static let learner = """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>labengine: your lab</title><style>\(style)</style></head>
        <body>
        <h1 id="title">Your lab</h1>
        <div class="clock" id="clock">connecting…</div>
        <div id="account"></div>
        <h2>Score <span id="score"></span></h2>
        <div id="minutes"></div>
        <h2>Steps</h2>
        <ol id="steps"></ol>
        <h2>Hint</h2>
        <div id="hint">No hint: every step is done.</div>
        <button id="more" hidden>Show the next level</button>
        <h2>Functions</h2>
        <table><thead><tr><th>Function</th><th>Invocations</th><th>Errors</th><th>Throttles</th><th>Timeouts</th><th>Most frequent error</th></tr></thead>
        <tbody id="functions"></tbody></table>
        <script>
        \(prelude)
        const id = decodeURIComponent(location.pathname.split("/").pop());
        let shown = 1, hintKey = "";
        const refresh = poll("/learners/" + encodeURIComponent(id) + ".json", (v) => {
            document.getElementById("title").textContent = v.id + " · " + v.lab + ": " + v.title;
            document.getElementById("clock").textContent = "virtual time " + v.elapsed + " s of " + v.length + " s" + (v.paused ? " · paused" : "") + (v.over ? " · over" : "");
            const account = document.getElementById("account");
            account.replaceChildren(el("div", "", "account " + v.account + (v.accessKeyId ? " · access key " + v.accessKeyId : "")));
            if (v.credentialsFile) account.append(el("div", "message", "credentials: " + v.credentialsFile));
            if (v.failure) account.append(el("div", "failure", v.failure));
            document.getElementById("score").textContent = v.score + " / " + v.maxScore;
            const minutes = document.getElementById("minutes");
            minutes.replaceChildren();
            v.minutes.forEach((m) => minutes.append(el("div", m.points === 0 ? "zero" : "", "minute " + m.minute + ": +" + m.points + (m.points === 0 ? " — " + m.detail : ""))));
            const steps = document.getElementById("steps");
            steps.replaceChildren();
            v.steps.forEach((st) => {
              const li = el("li", st.status, st.title + (st.passedAt !== null ? " — done at " + Math.round(st.passedAt) + " s" : ""));
              li.dataset.step = st.id;
              if (st.passedAt === null) li.append(el("div", "message", st.message));
              steps.append(li);
            });
            const hint = document.getElementById("hint"), more = document.getElementById("more");
            if (v.hint) {
              const key = v.hint.step + "\\n" + v.hint.levels[0];
              if (key !== hintKey) { hintKey = key; shown = 1; }
              hint.replaceChildren(el("div", "", v.hint.title + ":"));
              v.hint.levels.slice(0, shown).forEach((level) => hint.append(el("p", "", level)));
              more.hidden = shown >= v.hint.levels.length;
            } else {
              hint.textContent = "No hint: every step is done.";
              more.hidden = true;
            }
            const functions = document.getElementById("functions");
            functions.replaceChildren();
            v.functions.forEach((f) => {
              const tr = el("tr");
              [f.name, f.invocations, f.errors, f.throttles, f.timeouts, f.topError ? f.topError.type + " (" + f.topError.count + ")" : ""]
                .forEach((c) => tr.append(el("td", "", String(c))));
              functions.append(tr);
            });
        });
        document.getElementById("more").onclick = () => { shown += 1; refresh(); };
        </script>
        </body>
        </html>
        """
}
