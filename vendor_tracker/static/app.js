// Vendor tracker: small behaviours with no inline script (the CSP forbids it).
document.addEventListener("DOMContentLoaded", () => {
  // Ask before destructive actions: <form data-confirm="Delete this vendor?">.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
  // Filter forms submit when a select changes: <form class="filters" data-autosubmit>.
  document.querySelectorAll("form[data-autosubmit] select").forEach((select) => {
    select.addEventListener("change", () => select.form.requestSubmit());
  });
  // Show a progress indicator on long submissions: <form data-progress>.
  document.querySelectorAll("form[data-progress]").forEach((form) => {
    form.addEventListener("submit", () => {
      const bar = form.querySelector(".progress");
      if (bar) bar.classList.remove("d-none");
      form.querySelectorAll("button[type=submit]").forEach((b) => (b.disabled = true));
    });
  });
  // Show a block only while a select has a value: <div data-shown-when="role=provider">.
  document.querySelectorAll("[data-shown-when]").forEach((block) => {
    const [name, value] = block.dataset.shownWhen.split("=");
    const select = document.getElementById(name);
    if (!select) return;
    const update = () => block.classList.toggle("d-none", select.value !== value);
    select.addEventListener("change", update);
    update();
  });
  // A table wider than its box scrolls inside <div class="table-responsive">; while it does, the
  // box is a named region that the keyboard can reach and scroll.
  const boxes = document.querySelectorAll(".table-responsive");
  const nameOf = (box) => {
    const caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    const before = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")].filter(
      (heading) => heading.compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING,
    );
    const heading = before.pop();
    return heading ? `Table: ${heading.textContent.trim()}` : "Table";
  };
  const markScrolling = () => boxes.forEach((box) => {
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls && !box.dataset.scrolls) {
      box.dataset.scrolls = "1";
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      if (!box.hasAttribute("aria-label")) box.setAttribute("aria-label", nameOf(box));
    } else if (!scrolls && box.dataset.scrolls) {
      delete box.dataset.scrolls;
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
    }
  });
  markScrolling();
  window.addEventListener("resize", markScrolling);
});
