"""Step 3 of the import: each row resolved against the database and the earlier sheets of the
same file, access checked, and compared with what is stored — a new row, a changed row, or an
unchanged one. One module per family of sheets; what they share is in `common`."""
