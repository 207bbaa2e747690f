//! The ranked attribution summary (`report`). Owned by the report work (#5).
