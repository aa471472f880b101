// The assignments page: "Tick all" and "None" tick the boxes in place. Without this script the
// same buttons post the form and the page comes back ticked, so both ways need no other step.
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-select]");
  if (!button) return;
  event.preventDefault();
  const tick = button.dataset.select === "all";
  for (const box of button.form.querySelectorAll('.assignment-list input[type="checkbox"]')) {
    box.checked = tick;
  }
});
