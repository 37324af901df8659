"""Fill the frozen value pools (crmlab/synth/pools/<locale>.json) from Faker.

Run from the repository root:  .venv/bin/python tools/build_pools.py

Faker is the source of realistic values, but its seeded output changes between releases and its
date helpers depend on today's date. So this script runs Faker once, seeded, and freezes what it
produces as package data; the generators only ever sample from these files, so a world's bytes
depend on its seed alone. Where Faker's locale data is thin or unrealistic (zh_CN e-mail
domains, street names built from surnames, steel-trade company words) a short curated list sits
beside it here, marked as such. The province → city tables (divisions_*.csv) are hand-written
from the official administrative divisions and are not touched by this script.
"""
from __future__ import annotations

import json
from pathlib import Path

from faker import Faker

POOL_DIR = Path(__file__).resolve().parents[1] / "crmlab" / "synth" / "pools"
SEED = 20240101
SAMPLES = 4000

# Curated: the free-mail providers Chinese customers actually use (Faker's zh_CN list is gmail/yahoo/hotmail).
ZH_EMAIL_DOMAINS = {"qq.com": 40, "163.com": 25, "126.com": 10, "sina.com": 6, "foxmail.com": 5,
                    "139.com": 5, "sohu.com": 3, "aliyun.com": 3, "outlook.com": 3}
EN_EMAIL_WEIGHTS = {"gmail.com": 45, "yahoo.com": 15, "hotmail.com": 10, "outlook.com": 12,
                    "aol.com": 5, "icloud.com": 10, "comcast.net": 3}
# Curated: the most common real road names in Chinese cities (Faker's are surname + 路).
ZH_COMMON_ROADS = ["人民路", "解放路", "中山路", "建设路", "和平路", "胜利路", "新华路", "长江路",
                   "黄河路", "文化路", "友谊路", "光明路", "朝阳路", "青年路", "北京路", "南京路",
                   "工业路", "学府路", "滨江路", "东风路", "迎宾大道", "世纪大道", "花园路", "幸福路"]
# Curated: trade words that make a plausible customer of a steel supplier.
COMPANY_WORDS = {
    "en_US": {
        "construction": ["Construction", "Builders", "Contracting", "Homes", "Development"],
        "automotive": ["Motors", "Auto Parts", "Vehicle Works"],
        "machinery": ["Machinery", "Equipment", "Engineering"],
        "shipbuilding": ["Shipyards", "Marine Works"],
        "real_estate": ["Properties", "Realty", "Land Development"],
        "distribution": ["Steel Supply", "Metals Distribution", "Steel Trading"],
        "public_works": ["Department of Transportation", "Public Works Department", "Highway Authority"],
        "healthcare": ["Medical Center", "Hospital", "Health System"],
        "education": ["School District", "College", "University"],
        "hospitality": ["Hotels", "Resorts"],
        "household": [],
    },
    "zh_CN": {
        "construction": ["建筑工程", "建设", "建工"],
        "automotive": ["汽车制造", "汽车零部件", "车辆"],
        "machinery": ["机械制造", "重工", "装备"],
        "shipbuilding": ["造船", "船舶重工"],
        "real_estate": ["房地产开发", "置业", "地产"],
        "distribution": ["钢材贸易", "金属材料", "物资"],
        "public_works": ["交通运输局", "住房和城乡建设局", "公路管理局"],
        "healthcare": ["人民医院", "中医院", "妇幼保健院"],
        "education": ["第一中学", "职业技术学院", "实验小学"],
        "hospitality": ["酒店", "宾馆"],
        "household": [],
    },
}
COMPANY_SUFFIXES = {
    "en_US": {"Inc.": 35, "LLC": 35, "Co.": 15, "Group": 10, "Corp.": 5},
    "zh_CN": {"有限公司": 60, "有限责任公司": 20, "股份有限公司": 12, "集团有限公司": 8},
}
# Curated: the words a steel supplier's CRM shows for contacts, departments and products.
LABELS = {
    "en_US": {
        "contact_titles": ["Purchasing Manager", "Procurement Director", "Project Manager", "Owner",
                           "Chief Engineer", "Materials Manager", "Finance Manager", "General Manager"],
        "department_names": {"D01": "Direct Sales", "D02": "Key Accounts", "D03": "Channel Sales",
                             "D04": "Customer Service", "D05": "Finance", "D06": "Management"},
        "product_families": {"rebar": "Rebar", "plate": "Steel plate", "pipe": "Welded pipe",
                             "wire": "Wire rod", "section": "H-beam"},
    },
    "zh_CN": {
        "contact_titles": ["采购经理", "采购部长", "项目经理", "老板", "总工程师", "物资部主任",
                           "财务经理", "总经理"],
        "department_names": {"D01": "直销部", "D02": "大客户部", "D03": "渠道部", "D04": "客户服务部",
                             "D05": "财务部", "D06": "总经理办公室"},
        "product_families": {"rebar": "螺纹钢", "plate": "中厚板", "pipe": "焊管", "wire": "线材",
                             "section": "H型钢"},
    },
}


def _weighted(mapping) -> dict:
    """Faker keeps name lists either as weighted OrderedDicts or as plain tuples; return {value: weight}."""
    if hasattr(mapping, "items"):
        return {str(k): float(v) for k, v in mapping.items()}
    return {str(k): 1.0 for k in dict.fromkeys(mapping)}


def _unique(values) -> list[str]:
    return sorted(dict.fromkeys(values))


def build_en_us() -> dict:
    fake = Faker("en_US")
    fake.seed_instance(SEED)
    person = fake.provider("faker.providers.person")
    streets = _unique(fake.street_name() for _ in range(SAMPLES))
    return {
        "locale": "en_US",
        "first_names_female": _weighted(person.first_names_female),
        "first_names_male": _weighted(person.first_names_male),
        "last_names": _weighted(person.last_names),
        "street_names": streets,
        "company_stems": _unique(fake.last_name() for _ in range(SAMPLES)),
        "company_words": COMPANY_WORDS["en_US"],
        "company_suffixes": COMPANY_SUFFIXES["en_US"],
        "email_domains": EN_EMAIL_WEIGHTS,
        **LABELS["en_US"],
    }


def build_zh_cn() -> dict:
    from pypinyin import lazy_pinyin

    fake = Faker("zh_CN")
    fake.seed_instance(SEED)
    person = fake.provider("faker.providers.person")
    company = fake.provider("faker.providers.company")
    streets = _unique([fake.street_name() for _ in range(SAMPLES)] + ZH_COMMON_ROADS)
    last = _weighted(person.last_names)
    female = _weighted(person.first_names_female)
    male = _weighted(person.first_names_male)
    romanised = {name: "".join(lazy_pinyin(name)) for name in [*last, *female, *male]}
    return {
        "locale": "zh_CN",
        "first_names_female": female,
        "first_names_male": male,
        "last_names": last,
        "romanised": romanised,
        "street_names": streets,
        "company_stems": _unique(company.company_prefixes),
        "company_words": COMPANY_WORDS["zh_CN"],
        "company_suffixes": COMPANY_SUFFIXES["zh_CN"],
        "email_domains": ZH_EMAIL_DOMAINS,
        "mobile_prefixes": sorted(str(p) for p in fake.provider("faker.providers.phone_number").phonenumber_prefixes),
        **LABELS["zh_CN"],
    }


def main() -> None:
    for pools in (build_en_us(), build_zh_cn()):
        path = POOL_DIR / f"{pools['locale']}.json"
        path.write_text(json.dumps(pools, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
