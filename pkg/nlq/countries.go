package nlq

// countryNames are the English names of countries by ISO 3166 alpha-2
// code: a dimension whose members are country codes is matched by the
// country's name ("customers in Germany" → country_code = 'DE').
var countryNames = map[string][]string{
	"US": {"united states", "usa", "united states of america", "america"}, "GB": {"united kingdom", "uk", "britain", "great britain", "england"},
	"DE": {"germany"}, "FR": {"france"}, "ES": {"spain"}, "IT": {"italy"}, "NL": {"netherlands", "the netherlands", "holland"},
	"BE": {"belgium"}, "CH": {"switzerland"}, "AT": {"austria"}, "SE": {"sweden"}, "NO": {"norway"}, "DK": {"denmark"},
	"FI": {"finland"}, "IE": {"ireland"}, "PT": {"portugal"}, "PL": {"poland"}, "CZ": {"czech republic", "czechia"},
	"GR": {"greece"}, "HU": {"hungary"}, "RO": {"romania"}, "LU": {"luxembourg"}, "CA": {"canada"}, "MX": {"mexico"},
	"BR": {"brazil"}, "AR": {"argentina"}, "CL": {"chile"}, "CO": {"colombia"}, "PE": {"peru"}, "JP": {"japan"},
	"CN": {"china"}, "IN": {"india"}, "KR": {"south korea", "korea"}, "SG": {"singapore"}, "HK": {"hong kong"},
	"TW": {"taiwan"}, "AU": {"australia"}, "NZ": {"new zealand"}, "ZA": {"south africa"}, "AE": {"united arab emirates", "uae"},
	"SA": {"saudi arabia"}, "IL": {"israel"}, "TR": {"turkey"}, "RU": {"russia"}, "UA": {"ukraine"}, "EG": {"egypt"},
	"NG": {"nigeria"}, "KE": {"kenya"}, "MY": {"malaysia"}, "TH": {"thailand"}, "ID": {"indonesia"}, "PH": {"philippines"},
	"VN": {"vietnam"},
}

// countryAdjectives are the adjectives of countries by code: "Mexican
// customers" are the customers in Mexico.
var countryAdjectives = map[string][]string{
	"US": {"american", "us"}, "GB": {"british", "uk"}, "DE": {"german"}, "FR": {"french"}, "ES": {"spanish"}, "IT": {"italian"},
	"NL": {"dutch"}, "BE": {"belgian"}, "CH": {"swiss"}, "AT": {"austrian"}, "SE": {"swedish"}, "NO": {"norwegian"}, "DK": {"danish"},
	"FI": {"finnish"}, "IE": {"irish"}, "PT": {"portuguese"}, "PL": {"polish"}, "CA": {"canadian"}, "MX": {"mexican"}, "BR": {"brazilian"},
	"JP": {"japanese"}, "CN": {"chinese"}, "IN": {"indian"}, "AU": {"australian"}, "NZ": {"new zealand"}, "SG": {"singaporean"},
}

// currencyNames are the English names of currencies by ISO 4217 code: a
// currency dimension whose members are codes is matched by the name
// ("revenue in euros" → currency_code = 'EUR'). "Dollars" alone is left
// out: it names several.
var currencyNames = map[string][]string{
	"USD": {"us dollar", "us dollars", "american dollars"}, "EUR": {"euro", "euros"}, "GBP": {"pound", "pounds", "pounds sterling", "sterling", "british pounds"},
	"JPY": {"yen", "japanese yen"}, "CHF": {"swiss franc", "swiss francs"}, "CAD": {"canadian dollar", "canadian dollars"},
	"AUD": {"australian dollar", "australian dollars"}, "NZD": {"new zealand dollars"}, "CNY": {"yuan", "renminbi"},
	"INR": {"rupee", "rupees", "indian rupees"}, "SEK": {"swedish krona", "swedish kronor"}, "NOK": {"norwegian krone", "norwegian kroner"},
	"DKK": {"danish krone", "danish kroner"}, "PLN": {"zloty", "zlotys"}, "MXN": {"mexican peso", "mexican pesos"}, "BRL": {"real", "reais"},
	"SGD": {"singapore dollars"}, "HKD": {"hong kong dollars"}, "ZAR": {"rand"},
}
