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
flash-dependency-added = Dependency added.
flash-rescheduled = Plan re-scheduled. Tasks moved: { $moved }.
error-dependency-self = A task cannot depend on itself.
error-dependency-type = Choose FS, SS, FF or SF.
error-lag = Use a lag between -365 and 365 working days.
error-dependency-exists = These tasks are linked already.
error-dependency-cycle = This link would make the plan loop back on itself.
audit-action-dependency-create = Linked two tasks
audit-action-engagement-reschedule = Re-planned an engagement
gantt-legend-baseline = Baseline
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
