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
});
