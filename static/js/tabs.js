/* Turns a list of in-page links and the panels they point to into ARIA tabs
 * (the WAI-ARIA Authoring Practices' tabs pattern, manual activation).
 *
 * Without this script every panel shows, one after another, and the links
 * jump to them: the page works as it is. With it, one panel shows at a time;
 * the address's #fragment (a panel, or anything inside one) chooses the
 * first, or else a panel with an error message in it, and a chosen tab is
 * written back to the address, so that a link or a reload opens the same
 * tab. No inline script or style.
 */
(function () {
  "use strict";

  function enhance(root) {
    var list = root.querySelector("[data-tabs-list]");
    var links = Array.prototype.slice.call(list.querySelectorAll("a[href^='#']"));
    var panels = links.map(function (link) {
      return document.getElementById(link.getAttribute("href").slice(1));
    });
    if (panels.indexOf(null) !== -1) {
      return;
    }
    list.setAttribute("role", "tablist");
    links.forEach(function (link, index) {
      var panel = panels[index];
      link.parentNode.setAttribute("role", "presentation");
      link.setAttribute("role", "tab");
      link.id = link.id || "tab-" + panel.id;
      link.setAttribute("aria-controls", panel.id);
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", link.id);
      panel.setAttribute("tabindex", "0");
    });
    root.classList.add("tabs--enhanced");

    function select(index, focus) {
      links.forEach(function (link, other) {
        var chosen = other === index;
        link.setAttribute("aria-selected", chosen ? "true" : "false");
        link.setAttribute("tabindex", chosen ? "0" : "-1");
        panels[other].hidden = !chosen;
      });
      if (focus) {
        links[index].focus();
      }
    }

    links.forEach(function (link, index) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        select(index, false);
        if (window.history && window.history.replaceState) {
          window.history.replaceState(null, "", "#" + panels[index].id);
        }
      });
      link.addEventListener("keydown", function (event) {
        var next = {
          ArrowRight: (index + 1) % links.length,
          ArrowLeft: (index - 1 + links.length) % links.length,
          Home: 0,
          End: links.length - 1
        }[event.key];
        if (next !== undefined) {
          event.preventDefault();
          select(next, true);
        }
      });
    });

    /* The panel the address points into; else one with an error to show
       (a bad filter of the table); else the first. */
    function fromAddress() {
      var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
      var found = panels.findIndex(function (panel) { return target && panel.contains(target); });
      if (found === -1) {
        found = panels.findIndex(function (panel) { return panel.querySelector(".error-summary"); });
      }
      return found === -1 ? 0 : found;
    }
    select(fromAddress(), false);
    window.addEventListener("hashchange", function () { select(fromAddress(), false); });
  }

  function enhanceAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-tabs]"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhanceAll);
  } else {
    enhanceAll();
  }
})();
