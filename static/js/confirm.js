// Small behaviours declared with data attributes, so that no template needs an inline script or
// an on…= handler (the Content-Security-Policy allows scripts from our own files only).
// Forms marked data-confirm ask before they are sent (issuing a report, deleting a file …); so
// does a submit button marked data-confirm, when the form has others that need no asking.
document.addEventListener("submit", (event) => {
  const button = event.submitter;
  const source = button && button.dataset && button.dataset.confirm ? button : event.target;
  const message = source.dataset && source.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// A select marked data-autosubmit sends its form when it changes (year and plan pickers).
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field.matches && field.matches("select[data-autosubmit]") && field.form) {
    field.form.submit();
  }
});
