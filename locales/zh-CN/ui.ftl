# Accord — 界面文字（模板使用）。错误与提示消息在 messages.ftl（由 Rust 端维护）。
# 键集合须与 locales/en/ui.ftl 完全一致。

## 产品与框架

app-name = Accord
app-tagline = 团队、供应商与客户，同一个工作空间
auth-footer = Accord · 跨企业协作的自托管工作空间
a11y-skip = 跳到主要内容
breadcrumbs-label = 面包屑导航
user-menu = 用户菜单
lang-label = 语言
lang-zh = 中文
lang-en = English
lang-zh-full = 简体中文
lang-en-full = English

## 导航

nav-label = 主导航
nav-toggle = 显示或隐藏导航
nav-close = 关闭导航
nav-home = 首页
nav-parties = 参与方
nav-users = 用户
nav-audit = 审计日志
nav-account = 账户
nav-tokens = API 令牌
nav-api-docs = API 文档

## 操作（按钮与链接）

action-accept-invite = 激活账户
action-add = 添加
action-add-contact = 添加联系人
action-back-home = 返回首页
action-cancel = 取消
action-change-password = 修改密码
action-close = 关闭
action-copied = 已复制
action-copy = 复制
action-create-party = 创建参与方
action-create-token = 创建令牌
action-create-user = 创建用户
action-deactivate = 停用用户
action-delete = 删除
action-edit = 编辑
action-export-csv = 导出 CSV
action-go-login = 前往登录
action-load-more = 加载更多
action-login = 登录
action-logout = 退出登录
action-new-party = 新建参与方
action-new-user = 新建用户
action-reactivate = 重新启用
action-resend-invite = 重新发送邀请
action-reset = 重置
action-revoke = 撤销
action-save = 保存
action-search = 查询
action-setup = 创建工作空间
action-view = 查看

## 危险操作确认

confirm-deactivate-user = 确定停用 { $name }？该用户将在所有设备上被登出，且无法再登录。
confirm-delete-contact = 确定删除联系人 { $name }？此操作无法撤销。
confirm-revoke-token = 确定撤销令牌“{ $name }”？使用该令牌的脚本将立即失效。

## 取值

kind-host = 主办方
kind-vendor = 供应商
kind-client = 客户
role-admin = 管理员
role-pm = 项目经理
role-member = 成员
role-approver = 审批人
role-manager = 负责人
roles-host = 主办方角色
roles-vendor = 供应商角色
roles-client = 客户角色
status-active = 正常
status-inactive = 已停用
token-active = 有效
token-revoked = 已撤销
token-never-used = 从未使用
last-login-never = 从未登录
select-placeholder = 请选择

## 表单字段

field-address = 地址
field-contact-name = 姓名
field-created = 创建时间
field-credit-code = 统一社会信用代码
field-current-password = 当前密码
field-description = 描述
field-email = 邮箱
field-initial-password = 初始密码
field-job-title = 职务
field-kind = 类型
field-last-login = 最近登录
field-legal-name = 法定名称
field-locale = 界面语言
field-name = 姓名
field-new-password = 新密码
field-new-password-confirm = 确认新密码
field-org-name = 组织名称
field-party = 所属参与方
field-party-name = 名称
field-password = 密码
field-password-confirm = 确认密码
field-phone = 电话
field-role = 角色
field-status = 状态
field-time-zone = 时区
field-token-name = 令牌名称
field-website = 网站

## 帮助文字

help-credit-code = 营业执照上的 18 位代码。
help-initial-password = 留空则向该用户发送邀请邮件。
help-legal-name = 与营业执照等登记信息一致。
help-org-name = 你所在的公司，即本工作空间的主办方。
help-party-description = 合作内容、范围以及其他值得了解的信息。
help-party-kind = 供应商为你交付工作，客户接收你的交付。
help-party-name = 在 Accord 中显示的简称。
help-password = 请使用足够长、且未在其他地方用过的密码。
help-role = 主办方人员可为管理员、项目经理、成员或审批人；供应商和客户人员可为负责人或成员。
help-role-detail = 仅列出该用户所属参与方可用的角色。
help-time-zone = 日期和时间按此时区显示。
help-token-name = 令牌的用途，例如“周报导出脚本”。

## 表格列

col-action = 操作类型
col-actions = 操作
col-actor = 操作人
col-changes = 变更内容
col-created = 创建时间
col-email = 邮箱
col-entity = 对象
col-job-title = 职务
col-kind = 类型
col-last-login = 最近登录
col-last-used = 最近使用
col-legal-name = 法定名称
col-name = 名称
col-party = 所属参与方
col-person = 姓名
col-phone = 电话
col-role = 角色
col-status = 状态
col-time = 时间
col-users = 用户数

## 筛选

filter-label = 筛选条件
filter-search = 关键词
filter-action = 操作类型
filter-actor = 操作人
filter-entity = 对象类型
filter-from = 开始日期
filter-to = 结束日期
filter-all-kinds = 全部类型
filter-all-parties = 全部参与方
filter-all-roles = 全部角色
filter-all-statuses = 全部状态
placeholder-action = 如 party.update
placeholder-actor = 姓名或邮箱
placeholder-entity = 如 party
placeholder-party-search = 名称或法定名称
placeholder-user-search = 姓名或邮箱

## 空状态

empty-audit = 暂无审计记录。
empty-contacts = 该参与方尚未登记联系人。
empty-filtered = 没有符合筛选条件的结果，请调整筛选条件。
empty-parties = 还没有参与方。添加与你合作的供应商和客户吧。
empty-party-users = 该参与方还没有用户。
empty-recent = 暂无动态。
empty-tokens = 你还没有 API 令牌。
empty-users = 还没有用户。添加与你协作的人员吧。

## 登录、初始化、邀请

login-title = 登录
login-subtitle = 使用工作邮箱登录。
login-forgot = 忘记密码？请联系管理员重置。
setup-title = 初始化 Accord
setup-subtitle = 创建本组织及首位管理员账户，之后即可邀请其他成员。
setup-section-org = 组织
setup-section-admin = 首位管理员
invite-title = 接受邀请
invite-intro = 你受邀以 { $party } 成员身份加入 Accord。设置密码即可激活账户。

## 首页

home-welcome = 欢迎，{ $name }
home-recent = 最近动态
home-recent-all = 查看全部
home-start = 开始使用
home-start-body = 查看与你合作的组织及其成员。
home-open-parties = 浏览参与方
home-open-my-party = 查看本组织
home-quick = 快捷入口
stat-parties = 参与方
stat-users = 用户
stat-my-party = 所属组织

## 账户与令牌

account-subtitle = 管理你的个人资料、语言和密码。
account-identity = 登录身份
account-preferences = 个人资料与偏好
account-password = 修改密码
tokens-intro = 令牌可让脚本和集成代表你调用 API，请像密码一样妥善保管。
tokens-create = 创建令牌
tokens-list = 我的令牌
token-created-title = 请立即复制新令牌
token-created-body = 令牌只显示这一次，请妥善保存。如果丢失，请撤销后重新创建。

## 参与方

parties-subtitle = 本组织及合作的供应商和客户。
parties-table = 参与方列表
party-new-title = 新建参与方
party-edit-title = 编辑参与方
party-form-subtitle = 带 * 的为必填项。
party-no-legal-name = 未填写法定名称
party-section-basic = 基本信息
party-section-contact = 联系方式
contacts-title = 联系人

## 用户

users-subtitle = 可登录 Accord 的各参与方人员。
users-table = 用户列表
user-new-title = 新建用户
user-new-subtitle = 可设置初始密码；留空则由 Accord 发送邀请邮件。
user-section-profile = 基本信息
user-section-edit = 编辑用户
user-section-access = 账户状态
user-deactivate-help = 停用后，该用户会在所有设备上被登出且无法再登录，历史记录保留。
user-reactivate-help = 该用户已停用，无法登录。
user-invited = 待接受邀请
user-invited-title = 等待用户接受邀请
user-invited-body = 该用户尚未设置密码。

## 审计日志

audit-subtitle = 记录每一次变更：谁在何时做了什么。记录逐条链接，无法修改。
audit-table = 审计记录
audit-chain-ok-title = 完整性校验通过。
audit-chain-ok = 审计链完整，未被篡改。
audit-chain-broken-title = 完整性校验失败。
audit-chain-broken = 审计链已被更改，请立即核查。

## 错误页

errorpage-code = 错误代码：{ $status }
action-verify-chain = 校验哈希链

## 项目

nav-engagements = 项目
engagements-subtitle = 所有项目的状态、健康度与进度。
engagements-table = 项目列表
engagement-new-title = 新建项目
engagement-edit-title = 编辑项目
engagement-form-subtitle = 带 * 的为必填项。
engagement-section-basic = 基本信息
engagement-section-plan = 计划与健康度
engagement-section-summary = 概况
engagement-participants = 参与方
engagement-milestones = 里程碑
engagement-tasks = 任务
engagement-owner-none = 未指定
engagement-tabs-label = 项目页签
tab-overview = 概览
action-new-engagement = 新建项目
action-create-engagement = 创建项目
action-change-state = 变更状态
action-confirm-transition = 确认变更
action-add-participant = 添加参与方
action-add-milestone = 添加里程碑
action-add-task = 添加任务
action-remove = 移除
confirm-remove-participant = 确定将 { $name } 移出本项目？其人员将无法再查看本项目。
transition-current = 当前状态：
participants-none-left = 所有参与方都已加入本项目。
task-parent-none = 无（顶层任务）
task-unassigned = 未指派
option-none = 无
badge-overdue = 已逾期
placeholder-engagement-search = 编号或名称

engagement-kind-outsourced_development = 外包开发
engagement-kind-vendor_delivery = 供应商交付
engagement-kind-client_project = 客户项目
engagement-kind-after_sales = 售后服务
engagement-state-initiating = 立项
engagement-state-active = 进行中
engagement-state-accepting = 验收中
engagement-state-closed = 已关闭
engagement-state-archived = 已归档
health-green = 正常
health-amber = 有风险
health-red = 严重
relation-client = 客户
relation-vendor = 供应商
relation-subcontractor = 分包商
relation-supervisor = 监理
visibility-internal = 仅主办方
visibility-party = 指定参与方
visibility-participants = 全部参与方
milestone-status-planned = 计划中
milestone-status-achieved = 已达成
milestone-status-missed = 未达成
task-status-todo = 待办
task-status-in_progress = 进行中
task-status-done = 已完成
task-status-blocked = 受阻

field-engagement-code = 项目编号
field-engagement-name = 项目名称
field-owner = 项目负责人
field-start-date = 开始日期
field-end-date = 结束日期
field-health = 健康度
field-participant-party = 参与方
field-relation = 参与关系
field-milestone-name = 里程碑名称
field-due-date = 截止日期
field-owner-party = 负责方
field-visibility = 可见范围
field-visible-party = 可见参与方
field-task-name = 任务名称
field-parent-task = 上级任务
field-responsible-party = 负责方
field-assignee = 执行人
field-finish-date = 完成日期
field-progress = 进度（%）
field-transition-to = 目标状态
field-transition-reason = 变更原因

help-engagement-code = 可用字母、数字、- 和 _，如 PRJ-2026-001，创建后不可修改。
help-engagement-code-fixed = 项目编号创建后不可修改。
help-engagement-owner = 主办方的项目经理或管理员。
help-engagement-description = 项目目标、范围以及团队需要了解的信息。
help-health = 你对项目整体状况的判断：正常、有风险或严重。
help-relation = 客户以客户身份参与，供应商以供应商或分包商身份参与；两者均可担任监理。
help-visible-party = 仅当可见范围为“指定参与方”时需要选择。
help-transition-reason = 简要说明变更原因。

col-code = 编号
col-engagement = 项目名称
col-health = 健康度
col-dates = 起止日期
col-owner = 负责人
col-progress = 进度
col-next-milestone = 下一里程碑
col-overdue = 逾期
col-participant = 参与方
col-relation = 参与关系
col-milestone = 里程碑
col-due-date = 截止日期
col-owner-party = 负责方
col-visibility = 可见范围
col-task = 任务
col-responsible-party = 负责方
col-assignee = 执行人
col-start = 开始
col-finish = 完成
col-update = 更新进度

empty-engagements = 还没有项目。新建项目，与供应商和客户一起规划工作。
empty-engagements-viewer = 你还没有参与任何项目。
empty-participants = 还没有供应商或客户参与本项目。
empty-milestones = 还没有里程碑。
empty-tasks = 还没有任务。
visibility-default-task = 按负责方（默认）

# Plan tab
tab-plan = 计划
gantt-subtitle = 按工作日排布的任务、里程碑与依赖；红色条为关键路径。
gantt-title = 甘特图
gantt-zoom = 缩放
gantt-zoom-day = 日
gantt-zoom-week = 周
gantt-zoom-month = 月
action-download-svg = 下载 SVG
action-reschedule = 按依赖重新排程
confirm-reschedule = 按依赖关系和工作日历，将所有任务移到最早可行的日期？
dependencies-title = 任务依赖
empty-dependencies = 暂无依赖。为任务建立依赖后即可自动排程。
col-predecessor = 前置任务
col-successor = 后续任务
col-type = 类型
col-lag = 间隔（工作日）
field-predecessor = 前置任务
field-successor = 后续任务
field-dependency-type = 依赖类型
field-lag-days = 间隔（工作日）
help-lag = 负数表示提前。
action-add-dependency = 添加依赖
dep-type-FS = 完成-开始
dep-type-SS = 开始-开始
dep-type-FF = 完成-完成
dep-type-SF = 开始-完成

# Baselines
baselines-title = 基线
empty-baselines = 尚无基线。保存基线后可与当前计划对比。
field-compare-baseline = 对比基线
option-no-baseline = 不对比
action-compare = 对比
col-item = 任务或里程碑
col-baseline-finish = 基线完成
col-current-finish = 当前完成
col-variance = 偏差（工作日）
variance-new = 基线后新增
field-baseline-name = 基线名称
help-baseline = 冻结所有任务与里程碑的当前日期。
action-save-baseline = 保存基线

# Deliverables
engagement-deliverables = 交付物
empty-deliverables = 暂无交付物。
col-deliverable = 交付物
col-criteria = 验收标准
criteria-count = { $count } 条标准
action-add-deliverable = 添加交付物
field-deliverable-name = 交付物名称
field-criteria = 验收标准
help-criteria = 每行一条；验收时逐条检查。

# Search
search-title = 搜索
search-label = 搜索
search-placeholder = 搜索项目、任务、里程碑…
search-results-for = “{ $q }”的搜索结果
search-hint = 输入名称中的文字，将在你可见的项目、里程碑、交付物和任务中搜索。
search-none = 在你可见的内容中没有匹配项。
search-col-title = 标题
search-kind-engagement = 项目
search-kind-milestone = 里程碑
search-kind-deliverable = 交付物
search-kind-task = 任务
search-kind-comment = 评论
search-kind-document = 文档

# Team
engagement-members = 项目成员
empty-members = 尚无项目成员。
field-member = 人员
field-member-role = 项目角色
member-role-pm = 项目经理
member-role-member = 成员
action-add-member = 加入项目
confirm-remove-member = 将 { $name } 移出项目成员？

# Working calendar
calendar-title = 工作日历
calendar-intro = 默认按周末、法定节假日与调休计算工作日；可在此添加本项目的例外日期。
col-date = 日期
col-day-type = 类型
col-note = 备注
day-working = 工作日
day-off = 休息日
weekday-1 = 周一
weekday-2 = 周二
weekday-3 = 周三
weekday-4 = 周四
weekday-5 = 周五
weekday-6 = 周六
weekday-7 = 周日

## Requirements
tab-requirements = 需求
requirements-subtitle = 各方约定要做的内容，按版本编号并签字确认。
requirements-title = 需求
empty-requirements = 还没有需求。在下方写下第一条，每条都会得到一个编号，如 REQ-001。
requirement-new = 新建需求
requirement-edit = 编辑需求
field-title = 标题
field-parent = 上级需求
field-requirement-key = 编号
field-requirement-kind = 类型
field-priority = 优先级
field-source-party = 提出方
requirement-kind-functional = 功能需求
requirement-kind-non_functional = 非功能需求
requirement-kind-interface = 接口需求
requirement-kind-data = 数据需求
requirement-kind-constraint = 约束
priority-must = 必须有
priority-should = 应该有
priority-could = 可以有
priority-wont = 本期不做
requirement-status-draft = 草稿
requirement-status-in_review = 评审中
requirement-status-approved = 已批准
requirement-status-changed = 已变更
requirement-status-obsolete = 已废弃
requirement-locked = 已签署
requirement-locked-help = 已包含在签署版本中，只能通过变更申请修改。
help-markdown = 支持 Markdown：**加粗**、列表、表格、链接。HTML 按原文显示。
help-requirement-visibility = 只有对所有参与方可见的需求才会进入各方签署的版本。
action-add-requirement = 添加需求
requirement-versions-title = 版本
empty-requirement-versions = 还没有版本。各方准备签字时，把共享的需求冻结为版本 1。
version-signed = 已签署
version-awaiting = 待签署
version-signatures = 已签 { $count }
version-items = { $count } 条
version-title = 需求版本 { $number }
version-hash = 内容 SHA-256：
confirm-freeze = 将当前共享的需求冻结为新版本？这些需求的状态将变为已批准。
field-version-note = 说明（选填）
action-freeze-version = 冻结为新版本
help-freeze = 由我方以及本项目的每个客户方和供应商签署。
compare-with = 对比版本
action-print = 打印
signatures-title = 签署
signature-pending = 尚未签署
sign-statement = 签署即代表贵方确认以下需求内容与所示完全一致（以上方哈希值为准）。
field-password-again = 请再次输入密码以确认身份
action-sign = 签署
compare-title = 变更内容
compare-summary-added = 新增 { $count } 条
compare-summary-removed = 删除 { $count } 条
compare-summary-changed = 修改 { $count } 条
compare-summary-unchanged = 未变 { $count } 条
compare-same = 两个版本的需求完全相同。
compare-added = 新增
compare-removed = 删除
compare-changed = 修改
compare-field-title = 标题
compare-field-kind = 类型
compare-field-priority = 优先级
compare-field-parent = 上级需求
compare-field-acceptance_criteria = 验收标准
trace-title = 需求追溯
trace-gaps = 覆盖缺口
trace-without-task = 没有任务承接的需求
trace-without-deliverable = 没有交付物承载的需求
trace-without-criteria = 没有验收标准的需求
trace-orphan-tasks = 不服务任何需求的任务
trace-col-tasks = 任务
trace-col-deliverables = 交付物
trace-none = 无
trace-link-title = 把任务或交付物关联到需求
trace-record = 任务或交付物
action-link = 关联
action-unlink = 取消关联
action-traceability = 需求追溯
option-choose = 请选择…

# Change control
tab-changes = 变更
record-kind-change = 变更申请
changes-subtitle = 对已签范围、进度或费用的任何改动都在这里走流程：提交、评估、决定、执行。
changes-figures = 变更数据
changes-open = 未决变更
changes-approved = 已批准
changes-days-added = 增加的工作日
changes-cost-added = 增加的费用
changes-since-baseline = 工作日与费用统计自基线 1 以来批准的变更。
changes-since-start = 工作日与费用统计全部已批准变更（尚未保存基线）。
changes-log = 变更日志
empty-changes = 还没有变更申请。客户说"再加一个小功能"时，就在这里提交。
empty-changes-filtered = 没有该状态的变更申请。
field-change-key = 编号
col-impact-days = 进度（工作日）
col-cost-delta = 费用
col-raised = 提交
action-filter = 筛选
action-next-page = 下一页
action-raise-change = 提交变更
change-new = 提交变更
field-change-reason = 原因
help-change-reason = 为什么需要这项变更？由谁提出？
field-affected-tasks = 受影响任务
help-affected-tasks = 按住 Ctrl（Mac 上为 ⌘）可多选。系统按这些任务重排计划，显示哪些里程碑会移动。
field-schedule-delta = 每个任务增加的工作日
help-schedule-delta = 加到每个受影响任务的工期上；负数表示缩短。
field-cost-delta = 费用变化
help-cost-delta = 人民币金额，例如 12000 或 -500.50。
field-impact-notes = 内部影响备注
help-impact-notes = 仅主办方可见。
help-change-visibility = 除主办方外谁能看到这项变更。
visibility-own-party = 主办方和我方
change-board-title = 变更控制委员会
change-board-rule = 项目经理可直接决定不超过 { $days } 个工作日且不超过以下金额的变更：
change-board-empty = 未设委员会：所有变更由项目经理决定。
change-board-members = 委员会成员
field-pm-max-days = 项目经理权限（工作日）
field-pm-max-cost = 项目经理权限（人民币）
help-board-members = 超出权限的变更需全体成员批准。请包括客户代表。
action-save-board = 保存委员会
change-raised-by = 提交人
change-round = 第 { $round } 轮
change-revisit-on = { $date } 重议
change-request-title = 申请内容
change-impact = 批准后的影响
change-impact-applied = 已执行的影响
change-decided-by = 决定方
change-route-pm = 项目经理
change-route-board = 变更委员会
change-not-placed = 未指定任务：批准只记录工作日，不移动计划。
change-plan-finish = 计划完成：
change-milestones-moving = 将移动的里程碑
change-no-milestone-moves = 没有里程碑移动。
change-tasks-moving = { $count } 个任务移动
change-compare-gantt = 甘特图对比上一基线
change-open-version = 需求版本
change-record-impact = 记录影响
action-save-impact = 保存影响
change-scope = 范围变化
empty-change-scope = 不涉及需求：此变更只影响进度或费用。
scope-action-add = 新增
scope-action-change = 修改
scope-action-remove = 删除
scope-criteria-count = { $count } 条验收标准
change-add-scope = 添加范围条目
field-scope-action = 操作
field-scope-requirement = 需求
help-scope-requirement = 修改和删除时必选。
help-scope-title = 新增时必填；修改时为新标题（留空则不变）。
action-add-scope = 加入范围
change-decisions = 决定
change-board-decides = 需全体委员会成员批准：
empty-change-decisions = 尚无决定。
change-your-decision = 你的决定
field-decision = 决定
decision-approve = 批准
decision-reject = 驳回
decision-defer = 暂缓
field-decision-comment = 意见
help-decision-comment = 驳回或暂缓时必填。
field-revisit-on = 重议日期
help-revisit-on = 暂缓时：变更重新提交决定的日期（留空为两周后）。
action-record-decision = 记录决定
change-state-pending = 待决
change-state-approved = 已批准
change-state-rejected = 已驳回
change-state-deferred = 已暂缓

# Requirement reviews
record-kind-review = 评审轮次
reviews-title = 需求评审
reviews-subtitle = 在冻结和签署之前，请各方评审人审阅共享需求。
empty-reviews = 还没有评审。
field-deadline = 截止日期
review-open = 进行中
review-outcome-approved = 通过
review-outcome-changes_requested = 需修改
review-outcome-by-votes = 按投票结果
review-new = 发起评审
field-review-items = 评审的需求
help-review-items = 仅限共享需求。按住 Ctrl（Mac 上为 ⌘）可多选。
field-reviewers = 评审人
help-reviewers = 任一参与方的人员；截止前两天会收到提醒。
action-open-review = 发起评审
review-overdue = 已过截止日期
review-days-left = 剩余 { $days } 天
empty-review-comments = 该条目暂无意见。
review-comment-tasked = 已转为任务
field-review-comment = 你对该条目的意见
review-vote-approve = 通过
review-vote-request_changes = 需修改
review-vote-none = 未投票
field-review-vote = 你的投票
help-review-vote = 选择"需修改"时必填。
action-vote = 投票
confirm-close-review = 关闭本轮评审？评审意见将转为需求作者的任务。
field-review-outcome = 结论
help-review-outcome = 通过的条目变为已批准，否则退回草稿。
action-close-review = 关闭评审
changes-days-short = 个已批准工作日
