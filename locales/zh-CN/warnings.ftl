# Accord — 预警（议题 18）。键集合须与 locales/en/warnings.ftl 一致。

tab-warnings = 预警
record-kind-warning = 预警
warnings-subtitle = 规则触发时自动预警，条件消除后自动解除。
warnings-open = 当前预警
warnings-health = 健康度
warnings-no-reasons = 暂无异常。
warnings-rules = 预警规则
empty-warnings = 当前没有预警。
col-warning-rule = 规则
col-warning-on = 启用
col-warning-threshold = 阈值
action-save-rules = 保存规则
flash-warning-rules-saved = 规则已保存，预警将重新评估。
notification-kind-warning = 预警
warning-rule-spi_below = 进度绩效指数（SPI）低于
warning-rule-cpi_below = 成本绩效指数（CPI）低于
warning-rule-milestone_late = 里程碑逾期，宽限
warning-rule-critical_task_late = 关键路径任务延误，宽限
warning-rule-risk_high = 未关闭风险分值不低于
warning-rule-obligation_overdue = 合同义务逾期，宽限
warning-rule-installment_overdue = 付款节点逾期，宽限
warning-rule-certificate_expiring = 供应商资质证书到期前
warning-unit-ratio = （比值，如 0.9）
warning-unit-score = （分值 1–25）
warning-unit-days = 天
warning-spi_below = SPI 为 { $value }，低于 { $threshold }：进度落后于计划。
warning-cpi_below = CPI 为 { $value }，低于 { $threshold }：成本超出计划。
warning-milestone_late = 里程碑"{ $name }"应于 { $due } 达成，尚未达成。
warning-critical_task_late = 关键路径上有 { $count } 个任务延误，包括"{ $first }"。
warning-risk_high = 风险 { $key }"{ $title }"分值为 { $score }。
warning-obligation_overdue = 合同 { $contract }："{ $title }"应于 { $due } 完成。
warning-installment_overdue = 合同 { $contract }：付款节点"{ $name }"应于 { $due } 支付，尚未付清。
warning-certificate_expiring = 资质证书"{ $name }"将于 { $expires } 到期。
health-reason-late-tasks = 有 { $count } 个未完成任务已过计划完成日期。
warning-mail-subject = [{ $code }] 预警：{ $message }
warning-mail-body =
    { $message }

    { $link }
error-warning-rule = 没有该规则。
error-warning-threshold = 请填写 { $min } 到 { $max } 之间的值。
error-warning-notify = 请选择发包方或参与方的人员。
error-number = 请输入数字。
warning-rule-sla_breach = 问题超出 SLA，宽限
warning-sla_breach = 问题 { $key }"{ $title }"已超出 SLA 时限。
warning-rule-vendor_grade_drop = 供应商本季度评分等级下降至少
warning-unit-grades = 个等级
warning-vendor_grade_drop = { $vendor } 的评分等级由 { $from } 降至 { $to }（{ $period } 截至目前）。
