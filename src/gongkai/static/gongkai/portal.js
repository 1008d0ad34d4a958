/* Portal behaviour without third-party code (issue 19): the error summary takes focus and its
   links focus their field; 关怀版 and the font-size / line-spacing controls are remembered in
   localStorage (no cookie, nothing sent to the server). Everything works without this script. */
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "gongkai-reading";
  function load() {
    try { return JSON.parse(window.localStorage.getItem(KEY)) || {}; } catch (e) { return {}; }
  }
  function save(state) {
    try { window.localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* private mode */ }
  }
  function apply(state) {
    root.classList.toggle("care", !!state.care);
    root.classList.toggle("font-large", state.font === "large");
    root.classList.toggle("font-xlarge", state.font === "xlarge");
    root.classList.toggle("spacing-wide", !!state.spacing);
    var buttons = document.querySelectorAll("[data-reading]");
    for (var i = 0; i < buttons.length; i++) {
      var b = buttons[i], kind = b.getAttribute("data-reading"), value = b.getAttribute("data-value");
      var pressed = kind === "care" ? !!state.care : kind === "spacing" ? !!state.spacing : (state.font || "normal") === value;
      b.setAttribute("aria-pressed", pressed ? "true" : "false");
    }
  }
  var state = load();
  apply(state);
  document.addEventListener("DOMContentLoaded", function () {
    apply(state);
    var tools = document.querySelector(".reading-tools");
    if (tools) { tools.hidden = false; }
    document.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("[data-reading]") : null;
      if (button) {
        var kind = button.getAttribute("data-reading");
        if (kind === "care") { state.care = !state.care; }
        else if (kind === "spacing") { state.spacing = !state.spacing; }
        else { state.font = button.getAttribute("data-value"); }
        save(state);
        apply(state);
        return;
      }
      var link = event.target.closest ? event.target.closest(".error-summary a[href^='#']") : null;
      if (link) {
        var target = document.getElementById(link.getAttribute("href").slice(1));
        if (target) {
          event.preventDefault();
          target.focus();
          target.scrollIntoView({ block: "center" });
        }
      }
    });
    // on a phone the results come first and the facets fold away under 筛选条件
    if (window.matchMedia && window.matchMedia("(max-width: 600px)").matches) {
      var panels = document.querySelectorAll("details.facet-panel");
      for (var j = 0; j < panels.length; j++) { panels[j].open = false; }
    }
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
      // a form posted to "…#fragment" scrolls there after this event: take the focus back then
      window.addEventListener("load", function () {
        if (document.activeElement !== summary && !summary.contains(document.activeElement)) { summary.focus(); }
      });
    }
  });
})();
