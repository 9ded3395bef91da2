# Accord — early warning (issue 18). Keep the key set identical to locales/zh-CN/warnings.ftl.

tab-warnings = Warnings
record-kind-warning = Warning
warnings-subtitle = Warnings raise themselves when a rule fires and clear themselves when its condition clears.
warnings-open = Open warnings
warnings-health = Health
warnings-no-reasons = Nothing to report.
warnings-rules = Rules
empty-warnings = No open warnings.
col-warning-rule = Rule
col-warning-on = On
col-warning-threshold = Threshold
action-save-rules = Save rules
flash-warning-rules-saved = Rules saved. The warnings are evaluated again.
notification-kind-warning = Early warning
warning-rule-spi_below = Schedule performance (SPI) below
warning-rule-cpi_below = Cost performance (CPI) below
warning-rule-milestone_late = A milestone past due, after a grace of
warning-rule-critical_task_late = A late task on the critical path, after a grace of
warning-rule-risk_high = A live risk scoring at least
warning-rule-obligation_overdue = A contract obligation overdue, after a grace of
warning-rule-installment_overdue = A payment installment overdue, after a grace of
warning-rule-certificate_expiring = A vendor's certificate expiring within
warning-unit-ratio = (ratio, e.g. 0.9)
warning-unit-score = (score 1–25)
warning-unit-days = days
warning-spi_below = SPI is { $value }, under { $threshold }: the work is behind the plan.
warning-cpi_below = CPI is { $value }, under { $threshold }: the work costs more than planned.
warning-milestone_late = The milestone "{ $name }" was due on { $due } and is not achieved.
warning-critical_task_late = { $count } late tasks on the critical path, among them "{ $first }".
warning-risk_high = Risk { $key } "{ $title }" scores { $score }.
warning-obligation_overdue = Contract { $contract }: "{ $title }" was due on { $due }.
warning-installment_overdue = Contract { $contract }: the installment "{ $name }" was due on { $due } and is unpaid.
warning-certificate_expiring = The certificate "{ $name }" expires on { $expires }.
health-reason-late-tasks = { $count } open tasks are past their finish date.
warning-mail-subject = [{ $code }] Early warning: { $message }
warning-mail-body =
    { $message }

    { $link }
error-warning-rule = There is no such rule.
error-warning-threshold = Give a value from { $min } to { $max }.
error-warning-notify = Name people of the host or of a party taking part.
error-number = Enter a number.
warning-rule-sla_breach = An issue past its SLA, after a grace of
warning-sla_breach = Issue { $key } "{ $title }" is past its SLA.
warning-rule-vendor_grade_drop = A vendor's scorecard grade this quarter dropping by at least
warning-unit-grades = grades
warning-vendor_grade_drop = { $vendor }'s grade fell from { $from } to { $to } ({ $period } so far).
