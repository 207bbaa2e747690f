//! The analyst's workflow: init, tune, compare, batch, import and export. Owned by #6.
