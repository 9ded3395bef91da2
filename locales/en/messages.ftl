# Messages produced by the server (errors, flashes, e-mails). The templates' strings are in ui.ftl.

error-validation = Some fields need attention.
error-unauthorized = Please sign in to continue.
error-login-failed = Email or password is incorrect.
error-login-throttled = Too many failed sign-in attempts. Try again in { $minutes } minutes.
error-forbidden = You don't have permission to do that.
error-csrf = This form has expired. Reload the page and try again.
error-not-found = We couldn't find that page or record.
error-too-large = The request is too large.
error-media-type = Send the request body as JSON (Content-Type: application/json).
error-internal = Something went wrong on our side. Please try again; if it keeps happening, tell your administrator.
error-conflict-unique = A record with this value already exists.
error-constraint = This change conflicts with related records.
error-form = The form could not be read. Reload the page and try again.
error-body = The request body could not be read.
error-unknown-field = Unknown field ({ $detail }).
error-json-type = Wrong value type ({ $detail }).
error-required = This field is required.
error-too-long = Use at most { $max } characters.
error-email = Enter a valid email address, like name@example.com.
error-password-short = Use at least { $min } characters.
error-password-wrong = The current password is not correct.
error-password-mismatch = The two passwords do not match.
error-id = Choose an item from the list.
error-party-kind = Choose vendor or client.
error-party-kind-fixed = The kind of a party cannot be changed.
error-party-unknown = Choose a party you manage.
error-party-name-taken = Another party already has this name.
error-role = Choose a role from the list.
error-role-for-kind = This role is not available for users of this party.
error-time-zone = Choose a time zone from the list.
error-credit-code = Enter a valid 18-character unified social credit code.
error-locale = Choose 中文 (zh-CN) or English (en).
error-email-taken = A user with this email already exists.
error-invite-not-pending = This user has no pending invitation.
error-deactivate-self = You cannot deactivate your own account.
error-last-admin = At least one active administrator must remain.
error-url = Enter a web address starting with http:// or https://.
error-contact-reach = Give an email address or a phone number.
error-limit = Use a limit between 1 and { $max }.
error-cursor = This cursor is not valid; start again from the first page.

error-title-401 = Sign-in required
error-title-403 = No permission
error-title-404 = Not found
error-title-409 = Conflict
error-title-413 = Too large
error-title-415 = Unsupported format
error-title-422 = Check your input
error-title-429 = Too many attempts
error-title-500 = Something went wrong

flash-signed-out = You have signed out.
flash-setup-done = Accord is set up. Welcome!
flash-invite-accepted = Your password is set. Welcome to Accord!
flash-preferences-saved = Your preferences are saved.
flash-password-changed = Your password is changed. Other devices have been signed out.
flash-token-revoked = The token is revoked and can no longer be used.
flash-party-created = Party “{ $name }” created.
flash-party-saved = Party “{ $name }” saved.
flash-contact-added = Contact { $name } added.
flash-contact-removed = Contact removed.
flash-user-created = User { $email } created.
flash-user-invited = Invitation sent to { $email }.
flash-user-saved = User { $email } saved.
flash-user-deactivated = { $email } is deactivated and signed out.
flash-user-reactivated = { $email } is active again.
flash-invite-resent = A new invitation is on its way.

invite-email-subject = { $inviter } invited you to Accord ({ $party })
invite-email-body =
    Hello { $name },

    { $inviter } has invited you to work with { $party } in Accord.
    Set your password with this link (valid for { $days } days):

    { $link }

    If you did not expect this invitation, you can ignore this email.

# Audit log labels
audit-action-api-token-create = Created an API token
audit-action-api-token-revoke = Revoked an API token
audit-action-dev-seed-users = Loaded test users
audit-action-dev-seed-vendors = Loaded test vendors with delivery facts
audit-action-party-contact-add = Added a contact
audit-action-party-contact-remove = Removed a contact
audit-action-party-create = Created a party
audit-action-party-update = Edited a party
audit-action-user-accept-invitation = Accepted an invitation
audit-action-user-create = Created a user
audit-action-user-deactivate = Deactivated a user
audit-action-user-invite = Sent an invitation
audit-action-user-login = Signed in
audit-action-user-password-change = Changed the password
audit-action-user-reactivate = Reactivated a user
audit-action-user-update = Edited a user
audit-entity-api-token = API token
audit-entity-party = Party
audit-entity-user = User
audit-actor-system = System
error-party-identity = Only the host's administrator can change a party's name, legal name or credit code.
error-email-unavailable = This email address can't be used here. Ask the host's administrator.
error-demo-real-data = This database has real accounts; demo accounts with a published password are not added to it.

# Engagements
error-engagement-kind = Choose a kind of engagement from the list.
error-engagement-state = Choose a state from the list.
error-health = Choose on track, at risk or off track.
error-relation = Choose client, vendor, subcontractor or supervisor.
error-visibility = Choose internal, party or participants.
error-status = Choose a status from the list.
error-date = Enter a date as YYYY-MM-DD.
error-code = Use letters, digits, - and _ only.
error-code-taken = Another engagement already has this code.
error-code-fixed = The code of an engagement cannot be changed.
error-owner = Choose an active PM or administrator of the host.
error-end-before-start = The end cannot be before the start.
error-task-scheduling = Scheduling must be "auto" or "manual".
error-state-on-create = A new engagement always starts in initiation.
error-transition = An engagement cannot move from { $from } to { $to }.
error-participant-host = The host takes part in every engagement already.
error-relation-kind = This relation does not fit the party's kind (a client is a client; vendors deliver or subcontract).
error-participant-exists = This party already takes part.
error-participant-in-use = Milestones or tasks still name this party; change them first.
error-visible-party = Choose a participating party for this visibility.
error-party-not-participant = Choose the host or a participating party.
error-assignee = Choose an active user of the host or of a participating party.
error-parent = Choose a task of this engagement.
error-percent = Enter a whole number from 0 to 100.
flash-engagement-created = Engagement { $code } created.
flash-engagement-saved = Engagement { $code } saved.
flash-engagement-moved = The engagement is now: { $state }.
flash-participant-added = Party added to the engagement.
flash-participant-removed = Party removed from the engagement.
flash-milestone-added = Milestone “{ $name }” added.
flash-task-added = Task “{ $name }” added.
flash-task-saved = Task “{ $name }” updated.
audit-action-engagement-create = Created an engagement
audit-action-engagement-update = Edited an engagement
audit-action-engagement-transition = Changed an engagement's state
audit-action-engagement-archive = Archived an engagement
audit-action-engagement-participant-add = Added a party to an engagement
audit-action-engagement-participant-remove = Removed a party from an engagement
audit-action-milestone-create = Added a milestone
audit-action-task-create = Added a task
audit-action-task-update = Updated a task
audit-entity-engagement = Engagement
audit-entity-milestone = Milestone
audit-entity-task = Task

# Plan
gantt-empty = Nothing planned yet.
gantt-legend-critical = Critical path
gantt-legend-today = Today
gantt-names = Task
flash-dependency-added = Dependency added.
flash-task-planned = { $name } rescheduled; its successors moved with it.
task-plan-title = Schedule a task
task-plan-intro = Drag a bar to move it, drag its right end to change its length, drag it onto another bar to link them, double-click it to open it here. With the keyboard: focus a bar, ← → move it a day, Shift+← → change its length, Enter opens it here.
field-task = Task
field-scheduling = Scheduling
scheduling-auto = Automatic (start no earlier than the typed date)
scheduling-manual = By hand (stays where it is put)
help-scheduling = An automatic task moves when its predecessors need it later; one scheduled by hand stays and is marked when they disagree.
action-save-task-plan = Save and re-plan
gantt-drag-failed = The change was not saved.
flash-rescheduled = Plan re-scheduled. Tasks moved: { $moved }.
error-dependency-self = A task cannot depend on itself.
error-dependency-type = Choose FS, SS, FF or SF.
error-lag = Use a lag between -365 and 365 working days.
error-working-days = Give a whole number of working days between -3650 and 3650.
error-dependency-exists = These tasks are linked already.
error-dependency-cycle = This link would make the plan loop back on itself.
audit-action-dependency-create = Linked two tasks
audit-action-engagement-reschedule = Re-planned an engagement
gantt-legend-baseline = Baseline
gantt-legend-moved = Moved by re-planning
gantt-legend-manual = Scheduled by hand
gantt-moved = Moved { $days } working days by automatic scheduling
gantt-conflict = Scheduled by hand: its predecessors now need it to start later
flash-baseline-saved = Baseline “{ $name }” saved.
audit-action-baseline-create = Saved a baseline
error-milestone = Choose a milestone of this engagement.
error-criteria-count = Use at most { $max } criteria.
error-criterion-long = Criterion { $line } is longer than 500 characters.
flash-deliverable-added = Deliverable “{ $name }” added.
audit-action-deliverable-create = Added a deliverable
audit-entity-deliverable = Deliverable
error-member-role = Choose project manager or member.
error-member-pm-host = Only people of the host can manage an engagement.
error-member-exists = This person is on the team already.
flash-member-added = Added to the team.
flash-member-removed = Removed from the team.
audit-action-engagement-member-add = Added a team member
audit-action-engagement-member-remove = Removed a team member
audit-action-engagement-calendar-set = Changed the working calendar
audit-action-engagement-calendar-remove = Removed a calendar exception
flash-calendar-saved = Working calendar updated.
flash-calendar-removed = Calendar exception removed.

# Collaboration, documents, dashboards
audit-action-comment-create = Commented
audit-action-document-create = Uploaded a document
audit-action-document-version = Uploaded a new document version
audit-action-milestone-update = Updated a milestone
audit-entity-comment = Comment
audit-entity-document = Document
action-comment = Comment
action-download = Download
action-mark-achieved = Mark achieved
action-mark-missed = Mark missed
action-mark-planned = Back to planned
action-mark-all-read = Mark all read
action-new-version = Upload a new version
action-older = Older
action-upload = Upload
activity-title = Activity
activity-created = created
activity-updated = updated
activity-progress = reported progress on
activity-commented = commented on
activity-document_added = attached a document to
activity-document_version = uploaded a new version on
activity-achieved = marked achieved
activity-missed = marked missed
activity-rescheduled = rescheduled
col-record = Record
col-size = Size
col-updated = Updated
col-uploaded-by = Uploaded by
col-version = Version
comment-added = Comment posted.
comment-author-hidden = Someone outside your view
comments-title = Comments
document-area = Document area
document-open-record = Open record
document-uploaded = Uploaded “{ $name }”.
document-version-added = Uploaded version { $version }.
document-versions = Versions
documents-title = Documents
empty-activity = Nothing has happened here yet.
empty-comments = No comments yet. Start the conversation below.
empty-documents = No documents yet.
empty-notifications = You're all caught up.
error-document-visibility = This visibility is wider than the record's, or would hide the file from your own party.
error-file-empty = The file is empty.
error-file-mismatch = The file's name says one format but its content is another. Rename it or upload the right file.
error-file-too-large = The file is larger than { $max } MB.
error-file-type = This kind of file is not accepted (PDF, images, Office documents, ZIP and text files are).
error-subject = Choose a milestone, deliverable or task of this engagement.
field-comment = Comment
field-document-name = Name
field-file = File
flash-milestone-saved = Saved milestone “{ $name }”.
help-comment-mentions = Type @ and a name or e-mail to notify someone who can see this record.
help-upload-limit = Up to { $max } MB. PDF, images, Office documents, ZIP, text.
nav-notifications = Notifications
notifications-all-read = All notifications marked read.
notifications-show-all = Show all
notifications-show-unread = Unread only
notifications-unread-count = { $count } unread
notification-kind-assignment = Assigned
notification-kind-mention = Mentioned
notification-kind-due_soon = Due soon
notification-kind-overdue = Overdue
placeholder-document-name = The file's name
record-details = Details
record-kind-milestone = Milestone
record-kind-deliverable = Deliverable
record-kind-task = Task
tab-activity = Activity
tab-documents = Documents
visibility-default = Same as the record
dashboard-overdue = Overdue
dashboard-due-soon = Due within 3 days
dashboard-tasks-done = Tasks done
dashboard-milestones = Milestone timeline
dashboard-recent = Recent activity
dashboard-all-activity = All activity
empty-attention = Nothing overdue or due soon.
dashboard-awaiting = Awaiting a signature or decision
dashboard-awaiting-badge = Awaiting
due-kind-task = Task
due-kind-milestone = Milestone
due-kind-deliverable = Deliverable
due-kind-obligation = Contract obligation
due-kind-installment = Payment installment
due-kind-review = Requirements review
due-kind-contract-review = Contract review
due-kind-contract-signature = Contract signature
due-kind-requirements-signature = Requirements signature
due-kind-acceptance-result = Acceptance result
due-kind-acceptance-signature = Acceptance signature
health-auto = Derived from the plan
portfolio-total = Engagements
portfolio-running = Running
filter-health = Health
visibility-default-host = Default: host only
visibility-default-party = Default: the host and your party
filter-all-health = Any health

## Requirements
record-kind-requirement = Requirement
flash-requirement-added = Requirement { $key } added.
flash-requirement-saved = Requirement { $key } saved.
flash-version-frozen = Version { $number } frozen. The parties can sign it now.
flash-version-signed = Signed for your organisation.
error-requirement-kind = Choose functional, non-functional, interface, data or constraint.
error-priority = Choose must, should, could or won't.
error-requirement-status = Choose draft, in review, approved, changed or obsolete.
error-requirement-parent = Choose a requirement of this engagement.
error-requirement-cycle = A requirement can't sit under itself or one of its own children.
error-requirement-locked = { $key } is part of a signed version; raise a change request to change it.
error-version-empty = There is nothing to freeze: no requirement is shared with all participants.
error-version-unchanged = Nothing changed since version { $number }.
error-version-superseded = Version { $number } has been superseded; sign the newest version.
error-version-tampered = The stored content no longer matches its hash; it can't be signed.
error-version-signed-already = Your organisation has already signed this version.
error-signing-password = The password is not correct.
flash-link-added = Linked.
flash-link-removed = Link removed.
error-link-kind = Choose a task or a deliverable.
error-link-record = Choose a task or deliverable of this engagement.
error-link-exists = They are linked already.

# Change control
error-affected-task = Name tasks of this engagement that you can see.
error-amount = Enter an amount such as 12000 or 12,000.50.
error-amount-decimals = Use at most two decimals.
error-amount-range = This amount is too large.
error-amount-negative = The limit cannot be negative.
error-board-member = Board members must be active people of the host or of a party taking part.
error-board-size = Name at most { $max } board members.
error-change-decided = { $key } has already been decided.
error-change-voted = You have already decided on this change in this round.
error-change-voting = Voting on { $key } has started; its impact and scope can no longer change.
error-currency = Use a three-letter currency code such as CNY.
error-delta-days = Use between -{ $max } and { $max } working days.
error-host-only = Only the host organisation can write internal notes.
error-integer = Enter a whole number.
error-range = Use a number from { $min } to { $max }.
error-revisit-future = The revisit date must be after today.
error-scope-duplicate = This requirement is already in the change's scope.
error-scope-requirement = Choose a shared requirement of this engagement that is not obsolete.
error-visibility-raise = Raise a change for your own party or for every participant.
error-decision = Choose approve, reject or defer.
error-scope-action = Choose add, change or remove.
flash-board-saved = Change board saved.
flash-change-raised = Change request { $key } raised.
flash-decision-recorded = Decision recorded.
flash-impact-saved = Impact saved.
flash-scope-added = Scope item added.
flash-scope-removed = Scope item removed.
notification-kind-change_raised = Change raised
notification-kind-change_decided = Change decided
notification-kind-change_returned = Change back for decision
activity-raised = raised
activity-assessed = assessed the impact of
activity-approved = approved
activity-rejected = rejected
activity-deferred = deferred
activity-voted = voted on
activity-returned = is back for decision:

# Requirement reviews
error-deadline-past = The deadline cannot be in the past.
error-review-closed = This review round is closed.
error-review-item = Choose an item of this review round.
error-review-outcome = Choose approved or changes requested.
error-review-vote = Choose approve or request changes.
flash-review-opened = Review round opened; the reviewers have been told.
flash-review-comment = Comment added.
flash-review-voted = Vote recorded.
flash-review-closed = Review round closed.
notification-kind-review_requested = Review requested
notification-kind-review_due = Review due soon
activity-review_opened = opened the review round
activity-review_closed = closed the review round
activity-voted_review = voted in the review round
review-reminder-subject = Review due { $deadline }: { $title }
review-reminder-body =
    The review round "{ $title }" closes on { $deadline } and your vote is still missing.

    { $link }

# Contracts
error-contract-state = Choose a contract state.
error-clause-kind = Choose the kind of clause.
error-installment-kind = Choose advance, progress, final or retention.
error-trigger-kind = Choose a date, an acceptance or the end of the warranty.
error-acceptance-stage = Choose initial or final acceptance.
error-acceptance-outcome = Choose accepted, accepted with conditions or rejected.
error-severity = Choose critical, major or minor.
error-rating = Choose on track, needs attention or at risk.
error-signatory-party = Choose a user of the counterparty.
error-host-user = Choose an active user of the host organisation.
error-contract-number-taken = Another contract already has this number.
error-counterparty = Choose a vendor or a client.
error-contract-engagements = Choose at least one engagement the contract covers.
error-engagement-managed = Choose engagements you run.
error-counterparty-not-participant = The counterparty must take part in every engagement the contract covers.
error-currency-mismatch = Use the contract's currency, { $currency }.
error-tax-rate = Enter a VAT rate between 0 and 100 percent.
error-contract-locked = The working copy of { $number } is locked: submit it, withdraw the version out for review, or open an amendment first.
error-contract-transition = A contract cannot go from { $from } to { $to }.
error-termination-reason = Say why the contract is terminated.
error-contract-open-installments = { $count } installments are neither paid nor cancelled yet.
error-contract-no-clauses = Add at least one clause before submitting.
error-contract-not-in-review = No version of this contract is waiting for review.
error-contract-reviewed-already = You have already reviewed this version.
error-contract-awaiting-review = The version must pass its legal and finance review before anyone signs.
error-contract-nothing-to-sign = There is no version to sign; submit the working copy first.
error-contract-not-in-force = { $number } is not signed or in force.
error-return-comment = Say what must change before the version can be approved.
error-amendment-change = Choose an approved change request of the contract's engagements.
error-amendment-not-in-force = Only a signed contract in force can be amended ({ $number }).
error-amendment-open = An amendment of { $number } is already open.
error-clause-template = Choose a template from the clause library.
error-clauses-count = A contract holds at most { $max } clauses.
error-contract-deliverable = Choose a deliverable of the contract's engagements that the counterparty can see.
error-contract-milestone = Choose a milestone of the contract's engagements that the counterparty can see.
error-warranty-months = Enter between 1 and { $max } months.
error-warranty-clause-only = Warranty months belong on a warranty clause.
error-owed-by = Choose the host or the counterparty.
error-obligation-date = An obligation needs a due date.
error-amount-or-percent = Give either an amount or a percentage.
error-amount-positive = The amount must be more than zero.
error-amount-exceeds = At most { $left } is left to cover.
error-schedule-exceeds = The schedule would exceed the contract total; { $left } is left.
error-total-below-schedule = The installments already add up to { $scheduled }.
error-trigger-target = Choose either a deliverable or a milestone.
error-no-warranty = This deliverable has no warranty period; give it one or add a warranty clause first.
error-installment-not-due = This installment is not due yet: it falls due when its trigger happens, or by an approver's override.
error-installment-state = Not possible for an installment that is { $state }.
error-installments-count = A schedule holds at most { $max } installments.
error-document = Choose a document of the contract's engagements.
error-date-future = The date cannot be in the future.
error-direction = Choose payable or receivable.
notification-kind-contract_review = Contract to review
notification-kind-contract_reviewed = Contract reviewed
notification-kind-contract_signed = Contract signed
notification-kind-contract_expiring = Contract expiring
notification-kind-contract_checkup_due = Contract review due
notification-kind-obligation_due = Obligation due soon
notification-kind-obligation_overdue = Obligation overdue
notification-kind-installment_due = Payment due
record-kind-contract = Contract
activity-submitted = submitted
activity-signed = signed
obligation-due-subject = Due { $due }: { $title } ({ $number })
obligation-due-body =
    Under contract { $number }, "{ $title }" is due on { $due }.

    { $link }
obligation-overdue-subject = Overdue since { $due }: { $title } ({ $number })
obligation-overdue-body =
    Under contract { $number }, "{ $title }" was due on { $due } and is still open.

    { $link }
contract-expiring-subject = Contract { $number } ends on { $due }
contract-expiring-body =
    Contract { $number } ("{ $title }") ends on { $due }. Decide whether to renew it.

    { $link }
contract-checkup-subject = Periodic review of { $number } due { $due }
contract-checkup-body =
    The periodic review of contract { $number } ("{ $title }") is due on { $due }.

    { $link }

# Acceptance
error-acceptance-open = This deliverable already has an acceptance round in progress.
error-acceptance-done = This deliverable has already passed { $stage } acceptance.
error-acceptance-no-criteria = The deliverable has no acceptance criteria to check.
error-acceptance-decided = The result of this round is already recorded.
error-acceptance-item = Not an item of this checklist.
error-acceptance-item-twice = This item is given twice.
error-acceptance-items-missing = { $count } checklist items have no result yet.
error-acceptance-failed-items = { $count } items failed: reject, or accept with conditions.
error-acceptance-nothing-failed = Nothing failed: accept instead.
error-acceptance-undecided = The result is not recorded yet.
error-acceptance-rejected-unsigned = A rejected round is not signed; resubmit the deliverable.
error-check-items = Add at least one checklist line.
error-deliverable = Choose a deliverable of this engagement.
notification-kind-acceptance_submitted = Submitted for acceptance
notification-kind-acceptance_decided = Acceptance result
notification-kind-acceptance_signed = Acceptance in force
notification-kind-warranty_ending = Warranty ending
record-kind-acceptance = Acceptance
activity-decided = recorded the result of
activity-accepted = put in force
warranty-ending-subject = Warranty of { $title } ends { $due }
warranty-ending-body =
    The warranty period of "{ $title }" ends on { $due }.

    { $link }
error-share = Enter a percentage above 0 and at most 100, with at most two decimals.

# Audit: contracts and acceptance
audit-action-contract-create = Drafted a contract
audit-action-contract-update = Edited a contract
audit-action-contract-clause-add = Added a contract clause
audit-action-contract-clause-remove = Removed a contract clause
audit-action-contract-submit = Submitted a contract version
audit-action-contract-withdraw = Withdrew a contract version
audit-action-contract-review = Reviewed a contract version
audit-action-contract-sign = Signed a contract
audit-action-contract-in-force = Put a contract version in force
audit-action-contract-transition = Changed a contract's state
audit-action-contract-amend = Opened a contract amendment
audit-action-contract-checkup = Recorded a periodic contract review
audit-action-obligation-create = Added a contract obligation
audit-action-obligation-update = Updated a contract obligation
audit-action-installment-create = Added an installment
audit-action-installment-due = An installment fell due
audit-action-installment-override = Made an installment due by override
audit-action-installment-invoice = Recorded an invoice
audit-action-installment-payment = Recorded a payment
audit-action-installment-cancel = Cancelled an installment
audit-action-clause-template-create = Added a clause template
audit-action-acceptance-submit = Submitted for acceptance
audit-action-acceptance-result = Recorded an acceptance result
audit-action-acceptance-sign = Signed an acceptance
audit-action-acceptance-in-force = Put an acceptance in force
audit-action-defect-create = Recorded a defect
audit-action-defect-update = Updated a defect
audit-action-quality-check-create = Recorded a quality check
audit-entity-contract = Contract
audit-entity-installment = Installment
audit-entity-acceptance = Acceptance
audit-entity-defect = Defect
audit-entity-quality-check = Quality check
audit-entity-clause-template = Clause template
error-installment-unsigned = This installment is not in the signed version yet: sign the amendment first.
error-evidence = Choose a document of this engagement that everyone who sees the deliverable can read.
error-amendment-none = { $number } has no open amendment.
audit-action-contract-abandon-amendment = Abandoned a contract amendment
audit-action-installment-reconcile = Settled an installment after an amendment

## Vendors, selections, scorecards
error-credit-code-taken = Another party is registered with this credit code.
error-choice = “{ $value }” is not one of the choices.
error-bank-account = Use up to 34 letters and digits (spaces and dashes are dropped).
error-status-reason = Say why the status changes (at least 2 characters).
error-vendor-status-move = A vendor cannot go from { $from } to { $to } directly.
error-stale = Someone else changed this in the meantime. Reload the page and try again.
error-vendor-unknown = No vendor with this id.
error-vendor-not-invitable = This vendor is { $status } and cannot be invited or awarded.
error-vendor-invited = This vendor is already invited.
error-selection-not-bidding = Bidding for this selection has ended.
error-evaluator-exists = This person already evaluates this selection.
error-evaluators-locked = Evaluators can no longer be added: scoring has started or the selection is decided.
error-bid-late = Bidding has ended (deadline passed or closed early): bids are no longer accepted.
error-bid-first = Submit your quote before adding proposal files.
error-close-early = Bidding can end early only when every invited vendor has bid ({ $bids } of { $invited } so far).
error-no-bid = This vendor has not submitted a bid.
error-criterion-unknown = “{ $value }” is not a criterion of this selection.
error-criterion-duplicate = This criterion appears twice.
error-score-missing = Give a score for “{ $criterion }”.
error-scoring-before-close = Scoring starts when bidding ends (at the deadline, or when bidding is closed early).
error-selection-decided = This selection is already decided.
error-ranking-bidding = The bids are sealed until bidding ends.
error-scores-sealed = The ranking is sealed until every evaluator has scored every bid ({ $done } of { $needed } score sheets in).
error-justification-short = Write at least { $min } characters of justification.
error-award-engagement = Choose the engagement the winner will work in.
error-selection-criteria-count = Give from 1 to { $max } criteria.
error-weights-sum = The weights must add up to 100 (now { $sum }).
error-deadline = Use a date and time, e.g. 2026-12-20 18:00.
error-budget-range = The upper budget must not be below the lower one.
error-period = Use a quarter such as 2026Q3, or a year such as 2026.
error-scorecard-empty = There are no facts for this period yet, so there is nothing to publish.
error-grade-bands = The grade bands must fall from A to C, e.g. A 90, B 75, C 60.
flash-vendor-created = Vendor registered.
flash-profile-saved = Profile saved.
flash-bank-saved = Bank details saved.
flash-status-changed = Status changed.
flash-certificate-added = Certificate added.
flash-selection-created = Selection opened.
flash-vendor-invited = Vendor invited.
flash-evaluator-added = Evaluator added.
flash-bid-submitted = Bid submitted.
flash-bidding-closed = Bidding closed.
flash-scores-saved = Scores saved.
flash-awarded = Awarded. The winner takes part in the engagement and a draft contract is ready.
flash-selection-cancelled = Selection cancelled.
flash-scorecard-published = Scorecard published to the vendor.
flash-evaluation-saved = Evaluation saved.
flash-settings-saved = Scorecard settings saved.
flash-criteria-template-added = Template added.
selection-invited-subject = Invitation to quote: { $title }
selection-invited-body =
    You are invited to submit a quote for “{ $title }” before { $deadline }.

    Open the invitation: { $link }
selection-won-subject = Selected: { $title }
selection-won-body =
    Your bid for “{ $title }” has been selected. A draft contract follows.

    { $link }
selection-lost-subject = Outcome: { $title }
selection-lost-body =
    Thank you for your bid for “{ $title }”. Another vendor has been selected this time.

    { $link }
selection-cancelled-subject = Cancelled: { $title }
selection-cancelled-body =
    The selection “{ $title }” has been cancelled.

    { $link }
scorecard-published-subject = Your scorecard for { $period }
scorecard-published-body =
    Your scorecard for { $period } has been published.

    { $link }
certificate-expiring-subject = Certificate expiring: { $certificate } ({ $vendor })
certificate-expiring-body =
    The certificate “{ $certificate }” of { $vendor } expires on { $expires }. Please upload the renewed one.

    { $link }
audit-action-selection-award = Awarded a selection
audit-action-selection-bid = Submitted a bid
audit-action-selection-bid-file = Added a proposal file
audit-action-selection-cancel = Cancelled a selection
audit-action-selection-close = Closed bidding
audit-action-selection-create = Opened a selection
audit-action-selection-evaluator-add = Added an evaluator
audit-action-selection-invite = Invited a vendor
audit-action-selection-score = Scored a bid
audit-action-vendor-certificate-add = Added a certificate
audit-action-vendor-create = Registered a vendor
audit-action-vendor-evaluate = Evaluated a vendor
audit-action-vendor-scorecard-publish = Published a scorecard
audit-action-vendor-scorecard-settings = Changed scorecard settings
audit-action-vendor-status = Changed a vendor's status
audit-action-vendor-template-add = Added a criteria template
audit-action-vendor-update = Changed a vendor profile
audit-entity-selection = Selection
audit-entity-setting = Setting
audit-entity-evaluation-template = Criteria template

## Payment disputes
notification-kind-payment_disputed = Payment disputed
notification-kind-dispute_closed = Payment dispute closed
dispute-raised-subject = Payment disputed: { $installment } ({ $number })
dispute-raised-body =
    Under contract { $number }, the installment "{ $installment }" is disputed:

    { $reason }

    { $link }
dispute-resolved-subject = Dispute resolved: { $installment } ({ $number })
dispute-resolved-body =
    The dispute on the installment "{ $installment }" of contract { $number } is resolved:

    { $resolution }

    { $link }
dispute-withdrawn-subject = Dispute withdrawn: { $installment } ({ $number })
dispute-withdrawn-body =
    The dispute on the installment "{ $installment }" of contract { $number } was withdrawn by the side that raised it.

    { $link }
error-dispute-contract = Contract { $number } is not signed: only money the parties are bound to can be disputed.
error-dispute-open = "{ $installment }" already has an open dispute: resolve or withdraw it first.
error-dispute-closed = This dispute is closed ({ $state }).
error-dispute-amount = The contested amount can be at most the installment, { $amount }.
error-dispute-fault = Choose whose fault it was: the counterparty, ours, or no one's.
audit-action-dispute-raise = Raised a payment dispute
audit-action-dispute-resolve = Resolved a payment dispute
audit-action-dispute-withdraw = Withdrew a payment dispute
audit-entity-dispute = Payment dispute
error-scores-final = Every score sheet is in and the ranking is open: sheets can no longer change.
error-engagement-open = Choose an engagement you run that is still open (not closed or archived).
