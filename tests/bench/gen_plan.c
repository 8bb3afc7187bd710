/* gen_plan.c - a deterministic generator of large plans for the benchmark.
 *
 *   gen_plan N PLAN.yaml [STATUS.json]
 *
 * writes a plan of exactly N items shaped like the shipped one but as big
 * as a city's combined plans: each goal belongs to one of 24 districts and
 * has 2-5 tasks of 1-4 items; item texts are 40-200 characters of real
 * government-work phrases with full-width punctuation; about 2,000 distinct
 * units (区 departments like 新北区司法局, towns like 春江镇, and per
 * district the group 新北区各镇（街道） declared with its towns); each item
 * has 1-3 lead and 0-4 responsible units, a few written as one string
 * ending in 等.  Every id is explicit.  STATUS.json gets one entry per item
 * in the layout plandash writes, a third of them done.
 *
 * The same N always gives the same bytes (a fixed-seed splitmix64), so
 * runs on different machines and days measure the same input. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t rng_state = 0x20190726127ULL;

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Uniform in [lo, hi]. */
static unsigned rng_range(unsigned lo, unsigned hi)
{
    return lo + (unsigned)(rng_next() % (uint64_t)(hi - lo + 1));
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Clauses of item texts, from the shipped plan and its kind. */
static const char *const clauses[] = {
    "进一步推进重大决策预公开", "涉及公共利益和重大事项", "除依法应当保密的外",
    "要主动向社会公布决策草案", "决策依据等", "通过听证座谈", "网络征集", "咨询协商",
    "媒体沟通等多种形式", "广泛听取公众意见", "及时公布征求意见采纳情况",
    "相对集中的意见建议不予采纳的", "公布时要说明理由", "建立健全利益相关方",
    "人大代表", "政协委员", "公众代表", "专家等列席区政府常务会议制度",
    "进一步增强决策透明度", "对涉及重大民生事项的会议议题",
    "各级行政机关在制订方案时要进行评估", "如需公开的", "明确公开方式和范围",
    "重点围绕政府工作报告", "年度重点工作", "民生实事项目等重大决策部署",
    "各级政府部门按照职责分工", "提出行之有效的公开内容", "重点公布进展情况", "取得成效",
    "后续举措", "加强督查和审计发现问题及整改落实情况公开", "畅通公众意见建议渠道",
    "了解利益相关方和社会对决策实施的意见和建议", "进一步加强和改进工作",
    "严格落实行政执法公示制度", "及时调整完善行政执法机关权责清单", "规范行政执法行为",
    "利用统一的执法信息公示平台", "集中向社会依法公开行政执法职责", "执法依据", "执法标准",
    "执法程序", "监督途径等基本信息和执法结果信息", "建立健全群众意见反馈评价互动机制",
    "进一步整合优化实体政务大厅“一站式”功能", "加快实现“一个窗口”“一次办理”",
    "推动更多服务事项“一网通办”", "推进企业群众办事服务在线“快递式”公开",
    "为企业群众提供便捷贴心的移动服务", "以及人民群众办事服务堵点难点",
    "持续加强“双随机、一公开”", "建立以信用承诺", "信息公示为特点的事中事后监管机制",
    "深化财政信息公开", "加快项目文本和绩效目标公开进度", "定期公开债务以及经济财政状况",
    "债券发行", "存续期管理等信息", "认真抓好重大建设项目批准和实施", "征地拆迁",
    "公共资源配置", "涉及群众切身利益领域的信息公开", "重点对生态环境", "义务教育",
    "医疗卫生", "社会保障", "安全生产", "社会治安", "防灾减灾救灾等社会高度关注",
    "围绕保持经济运行在合理区间", "培育壮大发展新动能", "推动产业转型升级",
    "制造业高质量发展", "深化改革扩大开放等", "打好“三大攻坚战”", "脱贫攻坚",
    "大力实施乡村振兴战略", "推进区域一体化发展", "切实做好就业创业",
    "房地产市场等社会热点", "解读政策措施", "及时解疑释惑", "积极回应社会关切",
    "加大回应力度", "抓紧完成政府网站域名集中清理", "规范政务新媒体开设整合",
    "理顺政务新媒体管理机制", "加强主动公开与依申请公开平台融合",
    "初步实现一体化在线办理", "建立宣布失效文件清单", "对宣布失效文件全面梳理",
    "形成主动公开失效文件清单", "深入开展新条例学习培训", "组织多种形式宣传",
    "让全社会广泛知晓", "深入人心", "建立完善相关工作制度", "着力做好公开工作",
    "制度保障到位", "内容保障", "更好满足社会公众信息需求", "树立政府开放透明形象",
    "助力打造公开透明的营商环境", "不断把政务公开向纵深推进", "畅通企业群众建言评价通道",
    "监督管理等工作", "机构", "人员", "内设机构等信息", "医药卫生", "市场监管",
    "安全防护", "落实主体责任", "健全考核评价体系", "强化统筹协调",
    "完善信息发布审核机制", "确保信息准确权威", "加强政策解读和舆情回应",
    "推进基层政务公开标准化规范化", "编制公开事项目录", "完善公开标准",
    "提升政务服务效能", "优化营商环境", "推进“放管服”改革",
};

/* Two-clause enumerations joined with 、 read naturally for short nouns. */
static const char *const nouns[] = {
    "义务教育", "医疗卫生", "社会保障", "安全生产", "社会治安", "征地拆迁", "债券发行",
    "公共资源配置", "生态环境", "食品药品", "住房保障", "就业创业", "扶贫救助",
    "环境保护", "国有企业", "公共文化", "养老服务", "交通运输",
};

static const char *const verbs[] = {
    "推进", "深化", "加强", "完善", "规范", "健全", "落实", "强化", "优化", "提升", "做好",
};
static const char *const subjects[] = {
    "重要决策", "重要部署执行", "行政执法信息", "办事服务信息", "财政信息", "重大建设项目",
    "公共资源配置", "社会公益事业", "政策解读", "舆情回应", "政府网站", "政务新媒体",
    "依申请公开", "基层政务公开", "政务公开制度", "公开平台", "监督保障", "考核评估",
    "培训宣传", "信息发布",
};
static const char *const objects[] = {"公开", "工作", "机制", "管理", "建设", "标准化", "规范化"};

/* Districts of a city, departments of each, and characters for town names. */
static const char *const districts[] = {
    "新北区", "天宁区", "钟楼区", "武进区", "金坛区", "溧阳市", "经开区", "高新区",
    "江阴市", "宜兴市", "梁溪区", "锡山区", "惠山区", "滨湖区", "新吴区", "丹阳市",
    "句容市", "扬中市", "京口区", "润州区", "丹徒区", "海陵区", "姜堰区", "靖江市",
};
static const char *const departments[] = {
    "党政办", "发改局", "经发局", "教育局", "科技局", "工信局", "公安分局", "民政局",
    "司法局", "财政局", "人社局", "自然资源局", "生态环境局", "住建局", "交通运输局",
    "水利局", "农业农村局", "商务局", "文旅局", "卫健局", "退役军人事务局", "应急管理局",
    "审计局", "市场监管局", "统计局", "医保局", "城管局", "行政审批局", "信访局",
    "大数据管理局", "税务局", "档案馆", "机关事务管理局", "国资办", "地方金融监管局",
    "体育局", "民宗局", "消防救援大队", "融媒体中心", "总工会", "团委", "妇联", "残联",
    "红十字会", "政务服务中心",
};
static const char *const town_chars[] = {
    "春", "江", "孟", "河", "新", "桥", "薛", "家", "罗", "溪", "西", "夏", "墅", "奔", "牛",
    "三", "井", "龙", "虎", "塘", "湖", "浦", "礼", "嘉", "洛", "阳", "横", "山", "雪", "堰",
    "前", "黄", "郑", "陆", "邹", "港", "金", "城", "华", "安", "东", "南", "北", "青", "云",
    "石", "桃", "梅", "竹", "兰",
};
#define TOWNS_PER_DISTRICT 38

static const char *const logins[] = {"zhangwei", "lina", "wangfang", "liuyang", "chenjing",
                                     "yangming", "zhaolei", "huangli"};

/* A town's name: distinct for every k below COUNT(town_chars)^2. */
static void town_name(char *out, size_t cap, unsigned k)
{
    unsigned n = (unsigned)COUNT(town_chars);
    unsigned pair = (unsigned)(((uint64_t)k * 7919u) % (n * n));
    const char *a = town_chars[pair / n], *b = town_chars[pair % n];
    snprintf(out, cap, "%s%s%s", a, b, k % 4 == 3 ? "街道" : "镇");
}

/* Units of the plan: [district][kind] -> name, built once. */
typedef struct {
    char **dept;   /* [district * n_dept + j] */
    char **town;   /* [district * TOWNS_PER_DISTRICT + j] */
    char **group;  /* [district]: 新北区各镇（街道） */
    char **others; /* [district]: 新北区各有关部门 (never declared) */
} units;

static char *dupf(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 1;
    char *s = malloc(n);
    if (!s) {
        perror("gen_plan");
        exit(1);
    }
    snprintf(s, n, "%s%s", a, b);
    return s;
}

static void units_build(units *u)
{
    size_t nd = COUNT(districts), nt = COUNT(departments);
    u->dept = calloc(nd * nt, sizeof *u->dept);
    u->town = calloc(nd * TOWNS_PER_DISTRICT, sizeof *u->town);
    u->group = calloc(nd, sizeof *u->group);
    u->others = calloc(nd, sizeof *u->others);
    if (!u->dept || !u->town || !u->group || !u->others) {
        perror("gen_plan");
        exit(1);
    }
    for (size_t d = 0; d < nd; d++) {
        for (size_t j = 0; j < nt; j++)
            u->dept[d * nt + j] = dupf(districts[d], departments[j]);
        for (size_t j = 0; j < TOWNS_PER_DISTRICT; j++) {
            char name[64];
            town_name(name, sizeof name, (unsigned)(d * TOWNS_PER_DISTRICT + j));
            u->town[d * TOWNS_PER_DISTRICT + j] = dupf("", name);
        }
        u->group[d] = dupf(districts[d], "各镇（街道）");
        u->others[d] = dupf(districts[d], "各有关部门");
    }
}

static void units_free(units *u)
{
    size_t nd = COUNT(districts), nt = COUNT(departments);
    for (size_t i = 0; i < nd * nt; i++)
        free(u->dept[i]);
    for (size_t i = 0; i < nd * TOWNS_PER_DISTRICT; i++)
        free(u->town[i]);
    for (size_t d = 0; d < nd; d++) {
        free(u->group[d]);
        free(u->others[d]);
    }
    free(u->dept);
    free(u->town);
    free(u->group);
    free(u->others);
}

/* Append an item text of 40-200 characters (every character is 3 bytes in
 * UTF-8 here, so characters = bytes / 3). */
static void write_text(FILE *f)
{
    unsigned want = rng_range(40, 200), have = 0;
    unsigned in_sentence = 0;
    while (have < want) {
        const char *c;
        if (in_sentence && rng_range(0, 9) == 0) {
            /* an enumeration: 义务教育、医疗卫生、社会保障等 */
            unsigned k = rng_range(2, 4), first = (unsigned)(rng_next() % COUNT(nouns));
            unsigned step = rng_range(1, (unsigned)COUNT(nouns) / 4);
            for (unsigned i = 0; i < k; i++) {
                c = nouns[(first + i * step) % COUNT(nouns)];   /* distinct: k * step < n */
                fputs(c, f);
                have += (unsigned)strlen(c) / 3;
                if (i + 1 < k) {
                    fputs("、", f);
                    have++;
                }
            }
            fputs("等", f);
            have++;
        } else {
            c = clauses[rng_next() % COUNT(clauses)];
            fputs(c, f);
            have += (unsigned)strlen(c) / 3;
        }
        in_sentence++;
        if (have >= want)
            break;
        if (in_sentence >= 2 && rng_range(0, 3) == 0) {
            fputs("。", f);
            in_sentence = 0;
        } else {
            fputs(rng_range(0, 7) == 0 ? "；" : "，", f);
        }
        have++;
    }
    fputs("。", f);
}

static void write_title(FILE *f)
{
    fputs(verbs[rng_next() % COUNT(verbs)], f);
    fputs(subjects[rng_next() % COUNT(subjects)], f);
    fputs(objects[rng_next() % COUNT(objects)], f);
}

/* Pick a unit for an item of district d; lead units are mostly the
 * district's departments, responsible ones mostly groups and towns. */
static const char *pick_unit(const units *u, size_t d, int lead)
{
    size_t nd = COUNT(districts), nt = COUNT(departments);
    unsigned r = rng_range(0, 99);
    if (r < 4)   /* another district's department: joint work */
        d = rng_next() % nd;
    if (lead) {
        if (r < 85)
            return u->dept[d * nt + rng_next() % nt];
        if (r < 93)
            return u->group[d];
        return u->town[d * TOWNS_PER_DISTRICT + rng_next() % TOWNS_PER_DISTRICT];
    }
    if (r < 20)
        return u->group[d];
    if (r < 35)
        return u->others[d];
    if (r < 65)
        return u->town[d * TOWNS_PER_DISTRICT + rng_next() % TOWNS_PER_DISTRICT];
    return u->dept[d * nt + rng_next() % nt];
}

/* One unit field: n distinct units, as a flow list or (sometimes) as one
 * string joined with 、 whose last name may end in 等. */
static void write_units(FILE *f, const char *key, const units *u, size_t d, unsigned n,
                        int lead)
{
    const char *pick[4];
    unsigned k = 0;
    for (unsigned tries = 0; k < n && tries < 20; tries++) {
        const char *c = pick_unit(u, d, lead);
        unsigned j = 0;
        while (j < k && pick[j] != c)
            j++;
        if (j == k)
            pick[k++] = c;
    }
    if (!k)
        return;
    fprintf(f, "            %s: ", key);
    if (rng_range(0, 19) == 0) {
        for (unsigned i = 0; i < k; i++)
            fprintf(f, "%s%s", i ? "、" : "", pick[i]);
        fputs(rng_range(0, 1) ? "等\n" : "\n", f);
        return;
    }
    fputc('[', f);
    for (unsigned i = 0; i < k; i++)
        fprintf(f, "%s%s", i ? ", " : "", pick[i]);
    fputs("]\n", f);
}

static void write_status_entry(FILE *f, const char *id, size_t i, size_t n)
{
    /* from 2019-08-01T09:00:00+08:00 on, a minute or so apart */
    time_t t = (time_t)1564621200 + (time_t)(i * 67) + 8 * 3600;
    struct tm tm;
    gmtime_r(&t, &tm);
    char at[32];
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
    fprintf(f, "\n    \"%s\": {\"done\": %s, \"at\": \"%s\", \"by\": \"%s\"}%s", id,
            i % 3 == 0 ? "true" : "false", at, logins[i % COUNT(logins)],
            i + 1 < n ? "," : "");
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: gen_plan N PLAN.yaml [STATUS.json]\n");
        return 2;
    }
    char *end;
    unsigned long n = strtoul(argv[1], &end, 10);
    if (*end || n == 0 || n > 100000000UL) {
        fprintf(stderr, "gen_plan: N must be a count of items, not '%s'\n", argv[1]);
        return 2;
    }
    FILE *f = fopen(argv[2], "w");
    FILE *s = argc > 3 ? fopen(argv[3], "w") : NULL;
    if (!f || (argc > 3 && !s)) {
        perror("gen_plan");
        return 1;
    }
    static char fbuf[1 << 16], sbuf[1 << 16];
    setvbuf(f, fbuf, _IOFBF, sizeof fbuf);
    if (s)
        setvbuf(s, sbuf, _IOFBF, sizeof sbuf);

    units u;
    units_build(&u);
    size_t nd = COUNT(districts);
    fprintf(f, "# A generated plan of %lu items for plandash's benchmark (tests/bench/gen_plan.c).\n"
               "title: 常州市2019年政务公开工作要点实施方案（汇编）\n"
               "issuer: 常州市人民政府办公室\n"
               "document: 常政办〔2019〕%lu号\n"
               "date: \"2019-07-26\"\n"
               "groups:\n", n, 100 + n % 900);
    for (size_t d = 0; d < nd; d++) {
        fprintf(f, "  %s: [", u.group[d]);
        for (size_t j = 0; j < TOWNS_PER_DISTRICT; j++)
            fprintf(f, "%s%s", j ? ", " : "", u.town[d * TOWNS_PER_DISTRICT + j]);
        fputs("]\n", f);
    }
    fputs("goals:\n", f);
    if (s)
        fputs("{\n  \"version\": 1,\n  \"items\": {", s);

    size_t item = 0;
    for (unsigned g = 1; item < n; g++) {
        size_t d = (g - 1) % nd;
        fprintf(f, "  - id: \"%u\"\n    title: ", g);
        write_title(f);
        fputs("\n    tasks:\n", f);
        unsigned tasks = rng_range(2, 5);
        for (unsigned t = 1; t <= tasks && item < n; t++) {
            fprintf(f, "      - id: \"%u.%u\"\n        title: ", g, t);
            write_title(f);
            fputs("\n        items:\n", f);
            unsigned items = rng_range(1, 4);
            for (unsigned i = 1; i <= items && item < n; i++, item++) {
                char id[48];
                snprintf(id, sizeof id, "%u.%u.%u", g, t, i);
                fprintf(f, "          - id: \"%s\"\n            text: ", id);
                write_text(f);
                fputc('\n', f);
                write_units(f, "lead", &u, d, rng_range(1, 3), 1);
                write_units(f, "responsible", &u, d, rng_range(0, 4), 0);
                if (s)
                    write_status_entry(s, id, item, n);
            }
        }
    }
    if (s) {
        fputs("\n  }\n}\n", s);
        if (fclose(s) != 0) {
            perror(argv[3]);
            return 1;
        }
    }
    units_free(&u);
    if (fclose(f) != 0) {
        perror(argv[2]);
        return 1;
    }
    return 0;
}
