-- A person may decide a MANUAL conflict with their own merge of the two versions (issue 13).
alter table conflicts drop constraint conflicts_resolution_check;
alter table conflicts add constraint conflicts_resolution_check
    check (resolution in ('INCOMING', 'STORED', 'MERGED'));
