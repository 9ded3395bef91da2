# Accord — UI strings (templates). Error and flash texts live in messages.ftl (owned by the Rust side).
# Keep the key set identical to locales/zh-CN/ui.ftl.

## Product and frame

app-name = Accord
app-tagline = One workspace for your team, vendors and clients
auth-footer = Accord · self-hosted workspace for work across companies
a11y-skip = Skip to main content
breadcrumbs-label = Breadcrumb
user-menu = User menu
lang-label = Language
lang-zh = 中文
lang-en = English
lang-zh-full = 简体中文
lang-en-full = English

## Navigation

nav-label = Main navigation
nav-toggle = Show or hide navigation
nav-close = Close navigation
nav-home = Home
nav-parties = Parties
nav-users = Users
nav-audit = Audit log
nav-account = Account
nav-tokens = API tokens
nav-api-docs = API docs

## Actions (buttons and links)

action-accept-invite = Activate account
action-add = Add
action-add-contact = Add contact
action-back-home = Back to home
action-cancel = Cancel
action-change-password = Change password
action-close = Close
action-copied = Copied
action-copy = Copy
action-create-party = Create party
action-create-token = Create token
action-create-user = Create user
action-deactivate = Deactivate user
action-delete = Delete
action-edit = Edit
action-export-csv = Export CSV
action-go-login = Go to sign in
action-load-more = Load more
action-login = Sign in
action-logout = Log out
action-new-party = New party
action-new-user = New user
action-reactivate = Reactivate user
action-resend-invite = Resend invitation
action-reset = Reset
action-revoke = Revoke
action-save = Save
action-search = Search
action-setup = Create workspace
action-view = View

## Confirmations for destructive actions

confirm-deactivate-user = Deactivate { $name }? They will be signed out everywhere and can no longer sign in.
confirm-delete-contact = Delete the contact { $name }? This cannot be undone.
confirm-revoke-token = Revoke the token “{ $name }”? Scripts that use it stop working immediately.

## Values

kind-host = Host
kind-vendor = Vendor
kind-client = Client
role-admin = Administrator
role-pm = Project manager
role-member = Member
role-approver = Approver
role-manager = Manager
roles-host = Host roles
roles-vendor = Vendor roles
roles-client = Client roles
status-active = Active
status-inactive = Deactivated
token-active = Active
token-revoked = Revoked
token-never-used = Never used
last-login-never = Never
select-placeholder = Select…

## Form fields

field-address = Address
field-contact-name = Name
field-created = Created
field-credit-code = Unified social credit code
field-current-password = Current password
field-description = Description
field-email = Email
field-initial-password = Initial password
field-job-title = Job title
field-kind = Type
field-last-login = Last sign-in
field-legal-name = Legal name
field-locale = Language
field-name = Name
field-new-password = New password
field-new-password-confirm = Confirm new password
field-org-name = Organization name
field-party = Party
field-party-name = Name
field-password = Password
field-password-confirm = Confirm password
field-phone = Phone
field-role = Role
field-status = Status
field-time-zone = Time zone
field-token-name = Token name
field-website = Website

## Help texts

help-credit-code = The 18-character code on the business licence.
help-initial-password = Leave empty to send an invitation email instead.
help-legal-name = As registered, e.g. on the business licence.
help-org-name = Your company, the host of this workspace.
help-party-description = What they do for you, the scope, anything worth knowing.
help-party-kind = Vendors deliver work to you; clients receive your work.
help-party-name = Short name shown throughout Accord.
help-password = Use a long passphrase that you do not use anywhere else.
help-role = Host staff are administrators, project managers, members or approvers; vendors and clients have managers and members.
help-role-detail = Only roles valid for this user's party are listed.
help-time-zone = Dates and times are shown in this time zone.
help-token-name = What the token is for, e.g. “Weekly report export”.

## Table columns

col-action = Action
col-actions = Actions
col-actor = Actor
col-changes = Changes
col-created = Created
col-email = Email
col-entity = Object
col-job-title = Job title
col-kind = Type
col-last-login = Last sign-in
col-last-used = Last used
col-legal-name = Legal name
col-name = Name
col-party = Party
col-person = Name
col-phone = Phone
col-role = Role
col-status = Status
col-time = Time
col-users = Users

## Filters

filter-label = Filters
filter-search = Keyword
filter-action = Action
filter-actor = Actor
filter-entity = Object type
filter-from = From
filter-to = To
filter-all-kinds = All types
filter-all-parties = All parties
filter-all-roles = All roles
filter-all-statuses = All statuses
placeholder-action = e.g. party.update
placeholder-actor = Name or email
placeholder-entity = e.g. party
placeholder-party-search = Name or legal name
placeholder-user-search = Name or email

## Empty states

empty-audit = No audit entries yet.
empty-contacts = No contacts recorded for this party yet.
empty-filtered = Nothing matches these filters. Try fewer or different ones.
empty-parties = No parties yet. Add the vendors and clients you work with.
empty-party-users = No users belong to this party yet.
empty-recent = Nothing has happened yet.
empty-tokens = You have no API tokens yet.
empty-users = No users yet. Add the people you work with.

## Sign in, setup, invitation

login-title = Sign in
login-subtitle = Sign in with your work email.
login-forgot = Forgot your password? Ask your administrator to reset it.
setup-title = Set up Accord
setup-subtitle = Create your organization and its first administrator. You can invite everyone else afterwards.
setup-section-org = Organization
setup-section-admin = First administrator
invite-title = Accept invitation
invite-intro = You have been invited to join { $party } on Accord. Choose a password to activate your account.

## Home

home-welcome = Welcome, { $name }
home-recent = Recent activity
home-recent-all = Full audit log
home-start = Get started
home-start-body = Find the organizations you work with and the people in them.
home-open-parties = Browse parties
home-open-my-party = View my organization
home-quick = Shortcuts
stat-parties = Parties
stat-users = Users
stat-my-party = My organization

## Account and tokens

account-subtitle = Your profile, language and password.
account-identity = Sign-in identity
account-preferences = Profile and preferences
account-password = Change password
tokens-intro = Tokens let scripts and integrations use the API on your behalf. Treat them like passwords.
tokens-create = Create a token
tokens-list = Your tokens
token-created-title = Copy your new token now
token-created-body = This is the only time it is shown. Store it somewhere safe; if you lose it, revoke it and create a new one.

## Parties

parties-subtitle = Your organization, its vendors and its clients.
parties-table = Party list
party-new-title = New party
party-edit-title = Edit party
party-form-subtitle = Fields marked * are required.
party-no-legal-name = No legal name recorded
party-section-basic = Basic information
party-section-contact = Contact details
contacts-title = Contacts

## Users

users-subtitle = People who can sign in to Accord, from every party.
users-table = User list
user-new-title = New user
user-new-subtitle = Set an initial password, or leave it empty and Accord emails an invitation.
user-section-profile = Profile
user-section-edit = Edit user
user-section-access = Access
user-deactivate-help = A deactivated user is signed out everywhere and can no longer sign in. Their history is kept.
user-reactivate-help = This user is deactivated and cannot sign in.
user-invited = Invitation pending
user-invited-title = Waiting for the user to accept the invitation
user-invited-body = This user has not set a password yet.

## Audit log

audit-subtitle = Every change: who made it and when. Entries are chained and cannot be edited.
audit-table = Audit entries
audit-chain-ok-title = Integrity verified.
audit-chain-ok = The audit chain is intact.
audit-chain-broken-title = Integrity check failed.
audit-chain-broken = The audit chain has been altered. Investigate immediately.

## Error page

errorpage-code = Error code: { $status }
action-verify-chain = Verify chain

## Engagements

nav-engagements = Engagements
engagements-subtitle = Every engagement with its state, health and progress.
engagements-table = Engagement list
engagement-new-title = New engagement
engagement-edit-title = Edit engagement
engagement-form-subtitle = Fields marked * are required.
engagement-section-basic = Basic information
engagement-section-plan = Schedule and health
engagement-section-summary = Summary
engagement-participants = Participating parties
engagement-milestones = Milestones
engagement-tasks = Tasks
engagement-owner-none = Not assigned
engagement-tabs-label = Engagement sections
tab-overview = Overview
action-new-engagement = New engagement
action-create-engagement = Create engagement
action-change-state = Change state
action-confirm-transition = Confirm change
action-add-participant = Add party
action-add-milestone = Add milestone
action-add-task = Add task
action-remove = Remove
confirm-remove-participant = Remove { $name } from this engagement? Its people will no longer see it.
transition-current = Current state:
participants-none-left = Every party already takes part in this engagement.
task-parent-none = None (top level)
task-unassigned = Unassigned
option-none = None
badge-overdue = Overdue
placeholder-engagement-search = Code or name

engagement-kind-outsourced_development = Outsourced development
engagement-kind-vendor_delivery = Vendor delivery
engagement-kind-client_project = Client project
engagement-kind-after_sales = After-sales service
engagement-state-initiating = Initiating
engagement-state-active = Active
engagement-state-accepting = In acceptance
engagement-state-closed = Closed
engagement-state-archived = Archived
health-green = On track
health-amber = At risk
health-red = Off track
relation-client = Client
relation-vendor = Vendor
relation-subcontractor = Subcontractor
relation-supervisor = Supervisor
visibility-internal = Host only
visibility-party = One party
visibility-participants = All participants
milestone-status-planned = Planned
milestone-status-achieved = Achieved
milestone-status-missed = Missed
task-status-todo = To do
task-status-in_progress = In progress
task-status-done = Done
task-status-blocked = Blocked

field-engagement-code = Code
field-engagement-name = Engagement name
field-owner = Owner
field-start-date = Start date
field-end-date = End date
field-health = Health
field-participant-party = Party
field-relation = Relation
field-milestone-name = Milestone name
field-due-date = Due date
field-owner-party = Owner party
field-visibility = Visibility
field-visible-party = Visible to party
field-task-name = Task name
field-parent-task = Parent task
field-responsible-party = Responsible party
field-assignee = Assignee
field-finish-date = Finish date
field-progress = Progress (%)
field-transition-to = New state
field-transition-reason = Reason

help-engagement-code = Letters, digits, - and _, e.g. PRJ-2026-001. It cannot be changed later.
help-engagement-code-fixed = The code of an engagement cannot be changed.
help-engagement-owner = A project manager or administrator of the host.
help-engagement-description = Goals, scope and anything the team should know.
help-health = Your overall judgement: on track, at risk or off track.
help-relation = Clients take part as clients, vendors as vendors or subcontractors; either can supervise.
help-visible-party = Only needed when visibility is “One party”.
help-transition-reason = Briefly explain why the state changes.

col-code = Code
col-engagement = Engagement
col-health = Health
col-dates = Dates
col-owner = Owner
col-progress = Progress
col-next-milestone = Next milestone
col-overdue = Overdue
col-participant = Party
col-relation = Relation
col-milestone = Milestone
col-due-date = Due date
col-owner-party = Owner party
col-visibility = Visibility
col-task = Task
col-responsible-party = Responsible party
col-assignee = Assignee
col-start = Start
col-finish = Finish
col-update = Update progress

empty-engagements = No engagements yet. Create one to plan the work with your vendors and clients.
empty-engagements-viewer = You do not take part in any engagement yet.
empty-participants = No vendors or clients take part yet.
empty-milestones = No milestones yet.
empty-tasks = No tasks yet.
visibility-default-task = By responsible party (default)

# Plan tab
tab-plan = Plan
gantt-subtitle = Tasks, milestones and dependencies over working days; red bars are on the critical path.
gantt-title = Gantt chart
gantt-zoom = Zoom
gantt-zoom-day = Day
gantt-zoom-week = Week
gantt-zoom-month = Month
action-download-svg = Download SVG
action-reschedule = Re-plan from dependencies
confirm-reschedule = Move every task to its earliest dates under the dependencies and the working calendar?
dependencies-title = Dependencies
empty-dependencies = No dependencies yet. Link tasks so the plan can be scheduled.
col-predecessor = Predecessor
col-successor = Successor
col-type = Type
col-lag = Lag (working days)
field-predecessor = Predecessor
field-successor = Successor
field-dependency-type = Type
field-lag-days = Lag (working days)
help-lag = Negative for a lead.
action-add-dependency = Add dependency
dep-type-FS = finish to start
dep-type-SS = start to start
dep-type-FF = finish to finish
dep-type-SF = start to finish

# Baselines
baselines-title = Baselines
empty-baselines = No baseline yet. Save one to compare the plan with later.
field-compare-baseline = Compare with
option-no-baseline = No baseline
action-compare = Compare
col-item = Task or milestone
col-baseline-finish = Baseline finish
col-current-finish = Current finish
col-variance = Variance (working days)
variance-new = Added since
field-baseline-name = Baseline name
help-baseline = Freezes today's dates of every task and milestone.
action-save-baseline = Save baseline

# Deliverables
engagement-deliverables = Deliverables
empty-deliverables = No deliverables yet.
col-deliverable = Deliverable
col-criteria = Acceptance criteria
criteria-count = { $count } criteria
action-add-deliverable = Add deliverable
field-deliverable-name = Deliverable
field-criteria = Acceptance criteria
help-criteria = One criterion per line; acceptance checks them item by item.

# Search
search-title = Search
search-label = Search
search-placeholder = Search engagements, tasks, milestones…
search-results-for = Results for “{ $q }”
search-hint = Type a word of a name: engagements, milestones, deliverables and tasks you can see are searched.
search-none = Nothing you can see matches.
search-col-title = Title
search-kind-engagement = Engagement
search-kind-milestone = Milestone
search-kind-deliverable = Deliverable
search-kind-task = Task
search-kind-comment = Comment
search-kind-document = Document

# Team
engagement-members = Team
empty-members = No one is on the team yet.
field-member = Person
field-member-role = Role on this engagement
member-role-pm = Project manager
member-role-member = Member
action-add-member = Add to team
confirm-remove-member = Remove { $name } from this engagement's team?

# Working calendar
calendar-title = Working calendar
calendar-intro = Weekends, China's public holidays and make-up working days (调休) apply. Add this engagement's own exceptions here.
col-date = Date
col-day-type = Day
col-note = Note
day-working = Working day
day-off = Day off
weekday-1 = Mon
weekday-2 = Tue
weekday-3 = Wed
weekday-4 = Thu
weekday-5 = Fri
weekday-6 = Sat
weekday-7 = Sun

## Requirements
tab-requirements = Requirements
requirements-subtitle = What the parties agreed to build, with numbered versions and sign-off.
requirements-title = Requirements
empty-requirements = No requirements yet. Write the first one below; every item gets a key such as REQ-001.
requirement-new = New requirement
requirement-edit = Edit requirement
field-title = Title
field-parent = Parent
field-requirement-key = Key
field-requirement-kind = Type
field-priority = Priority
field-source-party = Asked for by
requirement-kind-functional = Functional
requirement-kind-non_functional = Non-functional
requirement-kind-interface = Interface
requirement-kind-data = Data
requirement-kind-constraint = Constraint
priority-must = Must
priority-should = Should
priority-could = Could
priority-wont = Won't
requirement-status-draft = Draft
requirement-status-in_review = In review
requirement-status-approved = Approved
requirement-status-changed = Changed
requirement-status-obsolete = Obsolete
requirement-locked = Signed
requirement-locked-help = Part of a signed version: it changes only through a change request.
help-markdown = Markdown: **bold**, lists, tables, links. HTML is shown as text.
help-requirement-visibility = Only items shared with all participants go into versions the parties sign.
action-add-requirement = Add requirement
requirement-versions-title = Versions
empty-requirement-versions = No version yet. Freeze the shared items as version 1 when the parties are ready to sign.
version-signed = Signed
version-awaiting = Awaiting signatures
version-signatures = { $count } signed
version-items = { $count } items
version-title = Requirements version { $number }
version-hash = Content SHA-256:
confirm-freeze = Freeze the current shared requirements as a new version? Their status becomes approved.
field-version-note = Note (optional)
action-freeze-version = Freeze as new version
help-freeze = The host and every client and vendor of the engagement sign the version.
compare-with = Compare with
action-print = Print
signatures-title = Signatures
signature-pending = Not signed yet
sign-statement = By signing you confirm, for your organisation, the requirements below exactly as shown (identified by the hash above).
field-password-again = Your password, to confirm it is you
action-sign = Sign
compare-title = What changed
compare-summary-added = { $count } added
compare-summary-removed = { $count } removed
compare-summary-changed = { $count } changed
compare-summary-unchanged = { $count } unchanged
compare-same = The two versions hold the same requirements.
compare-added = Added
compare-removed = Removed
compare-changed = Changed
compare-field-title = Title
compare-field-kind = Type
compare-field-priority = Priority
compare-field-parent = Parent
compare-field-acceptance_criteria = Acceptance criteria
trace-title = Traceability
trace-gaps = Coverage gaps
trace-without-task = Requirements no task serves
trace-without-deliverable = Requirements no deliverable carries
trace-without-criteria = Requirements without acceptance criteria
trace-orphan-tasks = Tasks serving no requirement
trace-col-tasks = Tasks
trace-col-deliverables = Deliverables
trace-none = None
trace-link-title = Link a task or deliverable to a requirement
trace-record = Task or deliverable
action-link = Link
action-unlink = Unlink
action-traceability = Traceability
option-choose = Choose…

# Change control
tab-changes = Changes
record-kind-change = Change request
changes-subtitle = Every change to signed scope, schedule or cost goes through here: raised, assessed, decided, applied.
changes-figures = Change figures
changes-open = Open changes
changes-approved = Approved
changes-days-added = Working days added
changes-cost-added = Money added
changes-since-baseline = Days and money count approved changes since baseline 1.
changes-since-start = Days and money count every approved change (no baseline saved yet).
changes-log = Change log
empty-changes = No change requests yet. When someone asks for "just one more thing", raise it here.
empty-changes-filtered = No change requests in this state.
field-change-key = Key
col-impact-days = Schedule (working days)
col-cost-delta = Cost
col-raised = Raised
action-filter = Filter
action-next-page = Next page
action-raise-change = Raise a change
change-new = Raise a change
field-change-reason = Reason
help-change-reason = Why is the change needed? Who asked for it?
field-affected-tasks = Affected tasks
help-affected-tasks = Hold Ctrl (⌘ on Mac) to pick several. Re-planning the plan with these tasks shows which milestones move.
field-schedule-delta = Extra working days per task
help-schedule-delta = Added to each affected task's duration; negative shortens.
field-cost-delta = Cost change
help-cost-delta = Amount in CNY, e.g. 12000 or -500.50.
field-impact-notes = Internal impact notes
help-impact-notes = Only the host organisation sees these notes.
help-change-visibility = Who besides the host sees this change.
visibility-own-party = The host and my organisation
change-board-title = Change control board
change-board-rule = The PM decides changes of at most { $days } working days and at most
change-board-empty = No board named: the PM decides every change.
change-board-members = Board members
field-pm-max-days = PM limit (working days)
field-pm-max-cost = PM limit (CNY)
help-board-members = Larger changes need every member's approval. Include the client's representative.
action-save-board = Save board
change-raised-by = Raised by
change-round = round { $round }
change-revisit-on = back on { $date }
change-request-title = The request
change-impact = Impact if approved
change-impact-applied = Impact applied
change-decided-by = Decided by
change-route-pm = Project manager
change-route-board = Change board
change-not-placed = No tasks are named, so approval records the days but moves nothing in the plan.
change-plan-finish = Plan finish:
change-milestones-moving = Milestones that move
change-no-milestone-moves = No milestone moves.
change-tasks-moving = { $count } tasks move
change-compare-gantt = Gantt against the previous baseline
change-open-version = Requirement version
change-record-impact = Record the impact
action-save-impact = Save impact
change-scope = Scope changes
empty-change-scope = No requirement changes: this change affects only schedule or cost.
scope-action-add = Add
scope-action-change = Change
scope-action-remove = Remove
scope-criteria-count = { $count } acceptance criteria
change-add-scope = Add a scope item
field-scope-action = Action
field-scope-requirement = Requirement
help-scope-requirement = For change and remove.
help-scope-title = Required to add; for a change, the new title (empty keeps it).
action-add-scope = Add to scope
change-decisions = Decisions
change-board-decides = Every board member must approve:
empty-change-decisions = No decision yet.
change-your-decision = Your decision
field-decision = Decision
decision-approve = Approve
decision-reject = Reject
decision-defer = Defer
field-decision-comment = Comment
help-decision-comment = Required to reject or defer.
field-revisit-on = Revisit on
help-revisit-on = For a deferral: when the change comes back (two weeks if empty).
action-record-decision = Record decision
change-state-pending = Pending
change-state-approved = Approved
change-state-rejected = Rejected
change-state-deferred = Deferred

# Requirement reviews
record-kind-review = Review round
reviews-title = Review rounds
reviews-subtitle = Put shared requirements in front of reviewers from every party before they are frozen and signed.
empty-reviews = No review rounds yet.
field-deadline = Deadline
review-open = Open
review-outcome-approved = Approved
review-outcome-changes_requested = Changes requested
review-outcome-by-votes = As the votes say
review-new = Open a review round
field-review-items = Requirements to review
help-review-items = Shared requirements only. Hold Ctrl (⌘ on Mac) to pick several.
field-reviewers = Reviewers
help-reviewers = People of any party taking part; they are reminded two days before the deadline.
action-open-review = Open review round
review-overdue = past the deadline
review-days-left = { $days } days left
empty-review-comments = No comments on this item.
review-comment-tasked = became a task
field-review-comment = Your comment on this item
review-vote-approve = Approve
review-vote-request_changes = Request changes
review-vote-none = Not voted
field-review-vote = Your vote
help-review-vote = Required when requesting changes.
action-vote = Vote
confirm-close-review = Close this review round? Comments become tasks for the items' authors.
field-review-outcome = Outcome
help-review-outcome = Approved items move to approved; otherwise back to draft.
action-close-review = Close round
changes-days-short = working days approved
