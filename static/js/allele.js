/* Allele: progressive enhancement only. Every action is also a plain form POST that
   redirects; with this script the result replaces the page's main content in place. */
(function () {
  "use strict";

  function focusFirst(root) {
    var target = root.querySelector("[data-focus-on-load], .messages") || root;
    if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
    target.focus();
  }

  function swap(html, url) {
    var next = new DOMParser().parseFromString(html, "text/html");
    var main = next.getElementById("main");
    if (!main) { throw new Error("no main"); }
    var crumbs = document.querySelector(".breadcrumbs");
    var nextCrumbs = next.querySelector(".breadcrumbs");
    if (crumbs && nextCrumbs) { crumbs.replaceWith(nextCrumbs); }
    document.getElementById("main").replaceWith(main);
    document.title = next.title;
    if (url && url !== location.href) { history.pushState({}, "", url); }
    shown = pageOf(location.href);
    focusFirst(main);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-enhance]") || !window.fetch || !window.DOMParser) { return; }
    event.preventDefault();
    var button = form.querySelector("[type=submit]");
    if (button) {
      if (button.disabled) { return; }
      button.disabled = true;
    }
    fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.text().then(function (html) { swap(html, response.url); });
    }).catch(function () {
      form.submit(); // the server makes a repeated action harmless
    });
  });

  // Back or Forward to a page swapped in place: load it. A link to a fragment on the same
  // page ("Skip to main content") also fires popstate: the page stays as it is.
  function pageOf(url) { return url.split("#")[0]; }
  var shown = pageOf(location.href);
  window.addEventListener("popstate", function () {
    if (pageOf(location.href) !== shown) { location.reload(); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var error = document.querySelector("[data-focus-on-load]");
    if (error) { error.focus(); }
  });
})();

/* Glossary marks: Escape hides an open definition (WCAG 1.4.13) until the pointer or the
   focus leaves the term. Without this script the definition still shows and hides. */
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    document.querySelectorAll(".gloss:hover, .gloss:focus-within").forEach(function (mark) {
      mark.classList.add("gloss-dismissed");
    });
  });
  function reset(event) {
    var mark = event.target.closest && event.target.closest(".gloss");
    if (mark && !mark.contains(event.relatedTarget)) { mark.classList.remove("gloss-dismissed"); }
  }
  document.addEventListener("focusout", reset);
  document.addEventListener("mouseout", reset);
})();

/* Video: the player sits in an inert <template> (nothing is fetched, not even the poster)
   until the learner presses "Watch", "Low resolution" or "Audio only"; then it plays
   that file in place. Without this script the links open the files themselves. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-video-play]");
    var figure = link && link.closest("[data-video]");
    var player = figure && figure.querySelector("template[data-video-player]");
    if (!player || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    event.preventDefault();
    var video = figure.querySelector("video");
    if (!video) {
      video = player.content.firstElementChild.cloneNode(true);
      player.after(video);
    }
    video.querySelector("source").src = link.href;
    video.load();
    video.play();
  });
})();
